--TEST--
HTTP: a client that does not send a whole request head within http_header_timeout (all at once or a byte at a time, slowloris) gets a 408 and a closed connection; a bystander is served meanwhile and an idle keep-alive connection is left alone, in both modes
--FILE--
<?php
require __DIR__ . '/../inc/http.inc';

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        $s = new Tide\Http\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 1, 'http_header_timeout' => 1.0]);
        $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
        $s->on('request', fn($req, $res) => $res->end('ok'));
        $s->start();
    PHP, $mode);
    $srv->waitReady(1);
    $idle = tide_connect($srv->port);
    fwrite($idle, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    tide_http_read($idle);
    $stuck = tide_connect($srv->port);
    fwrite($stuck, "GET / HTTP/1.1\r\nHost: x\r\n");
    $drip = tide_connect($srv->port);
    $by = tide_connect($srv->port);
    $t0 = microtime(true);
    $served = 0;
    $head = "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " . str_repeat('a', 100);
    for ($i = 0; $i < 30 && microtime(true) - $t0 < 2.5; $i++) {
        @fwrite($drip, $head[$i]);
        fwrite($by, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        $served += (tide_http_read($by)['body'] ?? '') === 'ok';
        /* The drip's pace: 80 ms a byte, or less once the server has answered it. */
        $r = [$drip];
        $w = $e = null;
        if (stream_select($r, $w, $e, 0, 80000)) {
            $i++; /* this round counts */
            break;
        }
    }
    $r1 = tide_http_read($stuck, 3);
    $r2 = tide_http_read($drip, 3);
    $took = microtime(true) - $t0;
    echo "$name: stuck: ", $r1['status'] ?? 'nothing', ", closed ", var_export(tide_closed_by_peer($stuck, 3), true), "\n";
    echo "$name: drip: ", $r2['status'] ?? 'nothing', ", closed ", var_export(tide_closed_by_peer($drip, 3), true), "\n";
    echo "$name: within 1 to 3 s: ", var_export($took >= 0.9 && $took < 3.5, true), ", bystander served throughout: ", var_export($served === $i, true), "\n";
    fwrite($idle, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    echo "$name: idle keep-alive connection still served: ", tide_http_read($idle)['body'] ?? 'no', "\n";
    $srv->stop();
}
?>
--EXPECT--
process: stuck: 408, closed true
process: drip: 408, closed true
process: within 1 to 3 s: true, bystander served throughout: true
process: idle keep-alive connection still served: ok
base: stuck: 408, closed true
base: drip: 408, closed true
base: within 1 to 3 s: true, bystander served throughout: true
base: idle keep-alive connection still served: ok
