--TEST--
Tide\Coroutine\Client: recv() times out with errCode 110 (ETIMEDOUT) while only the calling coroutine waits (another one keeps running); recv()'s own timeout overrides the setting and the connection stays usable
--EXTENSIONS--
tide
--FILE--
<?php
require __DIR__ . '/listen.inc';

Tide\run(function () {
    [$srv, $port] = tide_test_listen();
    $done = new Tide\Coroutine\Channel(1);
    Tide\go(function () use ($srv, $done) {
        $c = stream_socket_accept($srv, 5);
        $done->pop(5);          /* silent until the client has timed out */
        fwrite($c, "late");
        fread($c, 1);
    });
    $ticks = 0;
    $ticking = true;
    Tide\go(function () use (&$ticks, &$ticking) {
        while ($ticking) {
            $ticks++;
            Tide\Coroutine::sleep(0.01);
        }
    });
    $c = new Tide\Coroutine\Client(Tide\SOCK_TCP);
    $c->set(['read_timeout' => 0.2]);
    $c->connect('127.0.0.1', $port, 5);   /* (5 s for reads too, as Swoole) */
    $t = microtime(true);
    $r = $c->recv(0.2);
    $took = microtime(true) - $t;
    var_dump($r, $c->errCode, $c->errMsg);
    echo $took >= 0.19 && $took < 2 ? "waited about 0.2 s\n" : "waited $took s\n";
    echo $ticks >= 5 ? "the other coroutine ran meanwhile\n" : "the other coroutine ran $ticks times\n";
    $done->push(1);
    var_dump($c->recv(5), $c->isConnected());
    $ticking = false;
});
?>
--EXPECT--
bool(false)
int(110)
string(20) "Connection timed out"
waited about 0.2 s
the other coroutine ran meanwhile
string(4) "late"
bool(true)
