--TEST--
Tide\Coroutine\Client: SOCK_UDP with connect() + send()/recv(), and without connect() by sendto()/recvfrom() (the sender's address and port); SOCK_UDP6 likewise
--EXTENSIONS--
tide
--SKIPIF--
<?php
if (!@stream_socket_server('udp://[::1]:0', $e, $es, STREAM_SERVER_BIND)) die('skip no IPv6 loopback');
?>
--FILE--
<?php
Tide\run(function () {
    foreach (['127.0.0.1' => Tide\SOCK_UDP, '::1' => Tide\SOCK_UDP6] as $ip => $type) {
        $name = str_contains($ip, ':') ? "[$ip]" : $ip;
        $s = stream_socket_server("udp://$name:0", $e, $es, STREAM_SERVER_BIND);
        $port = (int) substr(strrchr(stream_socket_get_name($s, false), ':'), 1);
        Tide\go(function () use ($s) {
            for ($i = 0; $i < 2; $i++) {
                $d = stream_socket_recvfrom($s, 100, 0, $peer);
                stream_socket_sendto($s, "echo $d", 0, $peer);
            }
        });
        $c = new Tide\Coroutine\Client($type);
        var_dump($c->connect($ip, $port, 2), $c->send('one'), $c->recv());
        $c = new Tide\Coroutine\Client($type);
        var_dump($c->sendto($ip, $port, 'two'), $c->recvfrom(100, $addr, $p), $addr === $ip, $p === $port);
        $c->close();
    }
});
?>
--EXPECT--
bool(true)
int(3)
string(8) "echo one"
bool(true)
string(8) "echo two"
bool(true)
bool(true)
bool(true)
int(3)
string(8) "echo one"
bool(true)
string(8) "echo two"
bool(true)
bool(true)
