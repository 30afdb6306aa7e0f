--TEST--
Tide\Coroutine\Client: recv() gives '' when the peer closes (also with framing on, dropping a partial package), and the client is then disconnected
--EXTENSIONS--
tide
--FILE--
<?php
require __DIR__ . '/listen.inc';

Tide\run(function () {
    [$srv, $port] = tide_test_listen();
    Tide\go(function () use ($srv) {
        $c = stream_socket_accept($srv, 5);
        fwrite($c, "bye");
        fclose($c);
        $c = stream_socket_accept($srv, 5);
        fwrite($c, "whole\npart");
        fclose($c);
    });
    $c = new Tide\Coroutine\Client(Tide\SOCK_TCP);
    $c->connect('127.0.0.1', $port, 5);
    var_dump($c->recv(), $c->recv(), $c->isConnected(), $c->errCode);
    var_dump($c->recv(), $c->errCode);

    $c = new Tide\Coroutine\Client(Tide\SOCK_TCP);
    $c->set(['open_eof_split' => true, 'package_eof' => "\n"]);
    $c->connect('127.0.0.1', $port, 5);
    var_dump($c->recv(), $c->recv(), $c->isConnected());
});
?>
--EXPECT--
string(3) "bye"
string(0) ""
bool(false)
int(0)
bool(false)
int(5001)
string(6) "whole
"
string(0) ""
bool(false)
