--TEST--
Tide\Coroutine\Client: a package longer than package_max_length makes recv() false with errCode 1201 and closes the connection (nothing is buffered without bound), with length and EOF framing
--EXTENSIONS--
tide
--FILE--
<?php
require __DIR__ . '/listen.inc';

Tide\run(function () {
    [$srv, $port] = tide_test_listen();
    Tide\go(function () use ($srv) {
        $c = stream_socket_accept($srv, 5);
        fwrite($c, pack('N', 100) . str_repeat('a', 100) . pack('N', 5000));
        fread($c, 1);   /* until the client goes */
        $c = stream_socket_accept($srv, 5);
        fwrite($c, str_repeat('b', 3000)); /* no EOF in sight */
        fread($c, 1);
    });
    $c = new Tide\Coroutine\Client(Tide\SOCK_TCP);
    $c->set(['open_length_check' => true, 'package_length_type' => 'N', 'package_body_offset' => 4,
             'package_max_length' => 1024, 'timeout' => 5]);
    $c->connect('127.0.0.1', $port);
    var_dump(strlen($c->recv()));
    var_dump($c->recv(), $c->errCode, $c->errMsg, $c->isConnected());

    $c = new Tide\Coroutine\Client(Tide\SOCK_TCP);
    $c->set(['open_eof_split' => true, 'package_eof' => "\n", 'package_max_length' => 1024, 'timeout' => 5]);
    $c->connect('127.0.0.1', $port);
    var_dump($c->recv(), $c->errCode, $c->isConnected());
});
?>
--EXPECT--
int(104)
bool(false)
int(1201)
string(45) "package length too large (package_max_length)"
bool(false)
bool(false)
int(1201)
bool(false)
