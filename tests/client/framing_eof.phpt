--TEST--
Tide\Coroutine\Client: open_eof_split hands out one package per recv() when several come in one write and when one comes split across writes; open_eof_check hands out what ends with the EOF
--EXTENSIONS--
tide
--FILE--
<?php
require __DIR__ . '/listen.inc';

Tide\run(function () {
    [$srv, $port] = tide_test_listen();
    $step = new Tide\Coroutine\Channel(1);
    Tide\go(function () use ($srv, $step) {
        $c = stream_socket_accept($srv, 5);
        fwrite($c, "a|b|c");          /* two whole packages and a part */
        $step->pop(5);
        fwrite($c, "cc|dd");          /* the rest of one, the start of another */
        $step->pop(5);
        fwrite($c, "d|");
        $step->pop(5);
        fwrite($c, "x|y|");           /* for open_eof_check */
        fclose($c);
    });
    $c = new Tide\Coroutine\Client(Tide\SOCK_TCP);
    $c->set(['open_eof_split' => true, 'package_eof' => '|', 'timeout' => 5]);
    $c->connect('127.0.0.1', $port);
    var_dump($c->recv(), $c->recv());
    $step->push(1);
    var_dump($c->recv());
    $step->push(1);
    var_dump($c->recv());
    $c->set(['open_eof_split' => false, 'open_eof_check' => true]);
    $step->push(1);
    var_dump($c->recv());
    var_dump($c->recv(), $c->isConnected());
});
?>
--EXPECT--
string(2) "a|"
string(2) "b|"
string(4) "ccc|"
string(4) "ddd|"
string(4) "x|y|"
string(0) ""
bool(false)
