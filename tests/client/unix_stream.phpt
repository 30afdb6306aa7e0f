--TEST--
Tide\Coroutine\Client: SOCK_UNIX_STREAM connects to a socket path (the port is not needed), echoes with length framing, and getpeername() names the path; a missing path fails with errCode ENOENT or ECONNREFUSED
--EXTENSIONS--
tide
--FILE--
<?php
$path = sys_get_temp_dir() . '/tide-client-' . getmypid() . '.sock';
@unlink($path);
Tide\run(function () use ($path) {
    $s = stream_socket_server("unix://$path", $e, $es);
    Tide\go(function () use ($s) {
        $c = stream_socket_accept($s, 5);
        while (($d = fread($c, 8192)) !== false && $d !== '') {
            fwrite($c, $d);
        }
    });
    $c = new Tide\Coroutine\Client(Tide\SOCK_UNIX_STREAM);
    $c->set(['open_length_check' => true, 'package_length_type' => 'n', 'package_body_offset' => 2]);
    var_dump($c->connect($path, 0, 2));
    var_dump($c->send(pack('n', 3) . 'abc' . pack('n', 2)), $c->send('de'));
    var_dump(bin2hex($c->recv()), bin2hex($c->recv()));
    var_dump($c->getpeername() === ['host' => $path, 'port' => 0]);
    $c->close();
    $d = new Tide\Coroutine\Client(Tide\SOCK_UNIX_STREAM);
    var_dump($d->connect("$path.missing"), in_array($d->errCode, [2, 111], true));
});
@unlink($path);
?>
--EXPECT--
bool(true)
int(7)
int(2)
string(10) "0003616263"
string(8) "00026465"
bool(true)
bool(false)
bool(true)
