--TEST--
Tide\Coroutine\Http\Client: a server that never answers gives statusCode -2 after the timeout while another coroutine keeps running; a refused connect gives -1 with errCode ECONNREFUSED; a kept-alive connection the server closed while idle is reconnected once, transparently; outside a coroutine the client throws Tide\Exception
--EXTENSIONS--
tide
--FILE--
<?php
require __DIR__ . '/../inc/raw_http.inc';

try {
    (new Tide\Coroutine\Http\Client('127.0.0.1', 1))->get('/');
} catch (Tide\Exception $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}

Tide\run(function () {
    // never answers: the request times out, and a ticking coroutine is not held up
    $port = tide_raw_server(fn($path, $n) => '', 1);
    $ticks = 0;
    $done = false;
    Tide\go(function () use (&$ticks, &$done) {
        while (!$done) {
            Tide\Coroutine::sleep(0.02);
            $ticks++;
        }
    });
    $c = new Tide\Coroutine\Http\Client('127.0.0.1', $port);
    $c->set(['timeout' => 0.3]);
    $t = microtime(true);
    $ok = $c->get('/');
    $took = microtime(true) - $t;
    $done = true;
    echo "timeout: ", var_export($ok, true), " {$c->statusCode} {$c->errCode} {$c->errMsg}, ",
        $took >= 0.29 && $took < 2 ? 'after the timeout' : "took $took", ', ticks meanwhile: ',
        $ticks >= 5 ? 'yes' : "only $ticks", "\n";
    $c->close();

    // refused: a port nobody listens on
    $s = stream_socket_server('tcp://127.0.0.1:0');
    $free = (int) substr(strrchr(stream_socket_get_name($s, false), ':'), 1);
    fclose($s);
    $c = new Tide\Coroutine\Http\Client('127.0.0.1', $free);
    echo "refused: ", var_export($c->get('/'), true), " {$c->statusCode} {$c->errCode} {$c->errMsg} connected=",
        var_export($c->connected, true), "\n";

    // keep-alive, then the server closes the idle connection: one transparent reconnect
    $conns = 0;
    $port = tide_raw_server(function ($path, $n) use (&$conns) {
        if ($n === 0) {
            $conns++;
        }
        return $n === 0 ? "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nconn$conns" : null;
    }, 3);
    $c = new Tide\Coroutine\Http\Client('127.0.0.1', $port);
    foreach ([1, 2, 3] as $i) {
        $ok = $c->get('/');
        echo "request $i: ", var_export($ok, true), " {$c->statusCode} {$c->body}\n";
    }
});
?>
--EXPECTF--
Tide\Exception: Tide\Coroutine\Http\Client::get() must be called inside a coroutine
timeout: false -2 110 response head timed out, after the timeout, ticks meanwhile: yes
refused: false -1 111 Connection refused connected=false
request 1: true 200 conn1
request 2: true 200 conn2
request 3: true 200 conn3
