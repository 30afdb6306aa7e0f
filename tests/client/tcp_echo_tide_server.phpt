--TEST--
Tide\Coroutine\Client: TCP echo with a Tide\Server (EOF-split framing on both sides): connect, send, recv of whole packages, getsockname/getpeername, fd and connected, close
--EXTENSIONS--
tide
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

$srv = new TideServerProc(<<<'PHP'
    $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
    $s->set(['worker_num' => 1, 'open_eof_split' => true, 'package_eof' => "\n"]);
    $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
    $s->on('receive', fn($s, $fd, $rid, $data) => $s->send($fd, "echo: $data"));
    $s->start();
PHP, Tide\MODE_BASE);
$srv->waitReady(1);
$port = $srv->port;

Tide\run(function () use ($port) {
    $c = new Tide\Coroutine\Client(Tide\SOCK_TCP);
    $c->set(['open_eof_split' => true, 'package_eof' => "\n", 'timeout' => 5]);
    var_dump($c->connect('127.0.0.1', $port), $c->isConnected(), $c->connected, $c->fd > 0);
    var_dump($c->send("one\ntwo\n"));
    var_dump($c->recv(), $c->recv());
    var_dump($c->getpeername() === ['host' => '127.0.0.1', 'port' => $port]);
    var_dump($c->getsockname()['host'], $c->getsockname()['port'] > 0);
    var_dump($c->close(), $c->isConnected(), $c->fd, $c->connected, $c->close());
});
$srv->stop();
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
bool(true)
int(8)
string(10) "echo: one
"
string(10) "echo: two
"
bool(true)
string(9) "127.0.0.1"
bool(true)
bool(true)
bool(false)
int(-1)
bool(false)
bool(false)
