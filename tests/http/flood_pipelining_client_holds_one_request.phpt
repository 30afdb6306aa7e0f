--TEST--
HTTP back-pressure: a client that pipelines requests without end and never reads, to a handler that suspends, has one request in flight at a time (responses keep their order): memory stays near idle and a bystander on the same worker is answered at once; so is a client that sends a header byte by byte, in both modes
--FILE--
<?php
require __DIR__ . '/../inc/http.inc';

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        $s = new Tide\Http\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 1]);
        $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
        $taken = 0;
        $s->on('request', function ($req, $res) use (&$taken) {
            if ($req->server['request_uri'] === '/ping') {
                $res->end(Tide\Coroutine::stats()['coroutine_num'] . " $taken");
                return;
            }
            $taken++;
            Tide\Coroutine::sleep(30); /* far longer than the test: it stays in flight */
            $res->end('late');
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(1);
    $pids = array_unique([$srv->pid, ...array_values($srv->workerPids)]);
    $by = tide_connect($srv->port);
    $ping = function () use ($by) {
        $t0 = hrtime(true);
        fwrite($by, "GET /ping HTTP/1.1\r\nHost: x\r\n\r\n");
        $r = tide_http_read($by);
        return [(hrtime(true) - $t0) / 1e6, $r['body'] ?? ''];
    };
    $ping();
    $idle = array_map('tide_rss_kb', $pids);

    $hostile = tide_connect($srv->port);
    $sent = tide_flood($hostile, str_repeat("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n", 256), 2.5);
    $slow = tide_connect($srv->port);
    fwrite($slow, "GET /slow HTTP/1.1\r\nHo");
    $worst = 0;
    for ($i = 0; $i < 20; $i++) {
        [$ms, $reply] = $ping();
        $worst = max($worst, $ms);
        fwrite($slow, "s");
    }
    [$coroutines, $taken] = explode(' ', $reply);
    $grew = array_map(fn($pid, $kb) => tide_rss_kb($pid) - $kb, $pids, $idle);
    echo "$name: sent ", $sent > 1 << 20 ? 'more than 1 MiB' : "$sent bytes",
        ", taken by the worker: $taken",
        ", coroutines: ", $coroutines <= 3 ? 'at most 3' : $coroutines,
        ", memory: ", max($grew) < 16 << 10 ? 'near idle' : json_encode($grew) . ' kB more',
        ", bystander: ", $worst < 1000 ? 'answered at once' : "$worst ms", "\n";
    $srv->stop(1.0);
}
?>
--EXPECT--
process: sent more than 1 MiB, taken by the worker: 1, coroutines: at most 3, memory: near idle, bystander: answered at once
base: sent more than 1 MiB, taken by the worker: 1, coroutines: at most 3, memory: near idle, bystander: answered at once
