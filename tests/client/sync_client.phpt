--TEST--
Tide\Client: the synchronous client outside coroutines against a Tide\Server: connect(), send(), recv() with MSG_WAITALL and MSG_PEEK, framing, a recv() timeout (connect()'s timeout, errCode 11 and a warning as Swoole), a refused connect (warning, errCode 111), $async refused; inside a coroutine it waits in the coroutine
--EXTENSIONS--
tide
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

$srv = new TideServerProc(<<<'PHP'
    $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
    $s->set(['worker_num' => 1]);
    $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
    $s->on('receive', function ($s, $fd, $rid, $data) {
        if (trim($data) !== 'quiet') {
            $s->send($fd, strtoupper($data));
        }
    });
    $s->start();
PHP, Tide\MODE_BASE);
$srv->waitReady(1);
$port = $srv->port;

$c = new Tide\Client(Tide\SOCK_TCP, false, 'my-id');
var_dump($c->id, $c->sock);
var_dump($c->connect('127.0.0.1', $port), $c->isConnected(), $c->sock > 0);   /* 0.5 s */
var_dump($c->send("hello world"));
var_dump($c->recv(5, Tide\Client::MSG_PEEK), $c->recv(11, Tide\Client::MSG_WAITALL));
$c->send("quiet");
$t = microtime(true);
var_dump($c->recv(100, 0));
$took = microtime(true) - $t;
echo $took > 0.4 && $took < 1.5 ? "bounded by connect()'s timeout\n" : "took $took s\n";
var_dump($c->errCode, $c->isConnected());
$c->set(['open_eof_split' => true, 'package_eof' => "\n"]);
$c->send("a\nb\n");
var_dump($c->recv(), $c->recv());
var_dump($c->shutdown(Tide\Client::SHUT_WR), $c->close(), $c->sock, $c->send('x'), $c->errCode);

$d = new Tide\Client(Tide\SOCK_TCP);
$s = stream_socket_server('tcp://127.0.0.1:0');
$free = (int) substr(strrchr(stream_socket_get_name($s, false), ':'), 1);
fclose($s);
var_dump($d->connect('127.0.0.1', $free), $d->errCode);
try {
    new Tide\Client(Tide\SOCK_TCP, true);
} catch (ValueError $e) {
    echo $e->getMessage(), "\n";
}

Tide\run(function () use ($port) {
    $ticks = 0;
    Tide\go(function () use (&$ticks) { for ($i = 0; $i < 5; $i++) { $ticks++; Tide\Coroutine::sleep(0.02); } });
    $c = new Tide\Client(Tide\SOCK_TCP);
    $c->connect('127.0.0.1', $port, 2);
    var_dump($c->recv(100, Tide\Client::MSG_DONTWAIT), $c->errCode);
    $c->send("in a coroutine");
    var_dump($c->recv(), $ticks > 0);
});
$srv->stop();
?>
--EXPECTF--
string(5) "my-id"
int(-1)
bool(true)
bool(true)
bool(true)
int(11)
string(5) "HELLO"
string(11) "HELLO WORLD"

Warning: Tide\Client::recv(): recv() failed. Error: Resource temporarily unavailable [11] in %s on line %d
bool(false)
bounded by connect()'s timeout
int(11)
bool(true)
string(2) "A
"
string(2) "B
"

Warning: Tide\Client::send(): send() failed. Error: client is not connected to server [5001] in %s on line %d
bool(true)
bool(true)
int(-1)
bool(false)
int(5001)

Warning: Tide\Client::connect(): connect to server[127.0.0.1:%d] failed. Error: Connection refused[111] in %s on line %d
bool(false)
int(111)
Tide\Client::__construct(): Argument #2 ($async) must be false (SWOOLE_SOCK_SYNC): the asynchronous client was removed in Swoole 4.3; use Tide\Coroutine\Client in a coroutine

Warning: Tide\Client::recv(): recv() failed. Error: Resource temporarily unavailable [11] in %s on line %d
bool(false)
int(11)
string(14) "IN A COROUTINE"
bool(true)
