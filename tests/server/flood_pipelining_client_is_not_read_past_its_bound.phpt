--TEST--
Server back-pressure: a client that pipelines requests without end and never reads, to a handler that suspends, is not read past connection_max_inflight; memory stays near idle and a bystander on the same worker is answered at once, in both modes
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 1, 'connection_max_inflight' => 16,
                 'open_eof_split' => true, 'package_eof' => "\n"]);
        $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
        $taken = 0;
        $s->on('receive', function ($s, $fd, $rid, $data) use (&$taken) {
            if ($data === "ping\n") {
                $s->send($fd, "pong " . Tide\Coroutine::stats()['coroutine_num'] . " $taken\n");
                return;
            }
            $taken++;
            Tide\Coroutine::sleep(30); /* far longer than the test: they stay in flight */
            $s->send($fd, str_repeat('r', 100) . "\n");
        });
        $s->start();
    PHP, $mode, [], []);
    $srv->waitReady(1);
    $pids = array_unique([$srv->pid, ...array_values($srv->workerPids)]);
    $bystander = tide_connect($srv->port);
    tide_round_trip_ms($bystander, "ping\n");
    $idle = array_map('tide_rss_kb', $pids);

    $hostile = tide_connect($srv->port);
    $sent = tide_flood($hostile, str_repeat("request\n", 8192), 2.5);
    $worst = 0;
    for ($i = 0; $i < 20; $i++) {
        $worst = max($worst, tide_round_trip_ms($bystander, "ping\n", $reply));
    }
    [, $coroutines, $taken] = explode(' ', trim($reply));
    $grew = array_map(fn($pid, $kb) => tide_rss_kb($pid) - $kb, $pids, $idle);
    echo "$name: sent ", $sent > 1 << 20 ? 'more than 1 MiB' : "$sent bytes",
        ", taken by the worker: ", $taken <= 16 ? 'at most 16' : $taken,
        ", coroutines: ", $coroutines <= 16 + 2 ? 'at most 18' : $coroutines,
        ", memory: ", max($grew) < 16 << 10 ? 'near idle' : json_encode($grew) . ' kB more',
        ", bystander: ", $worst < 1000 ? 'answered at once' : "$worst ms", "\n";
    $srv->stop(1.0); /* the sleeping requests are cut short */
}
?>
--EXPECT--
process: sent more than 1 MiB, taken by the worker: at most 16, coroutines: at most 18, memory: near idle, bystander: answered at once
base: sent more than 1 MiB, taken by the worker: at most 16, coroutines: at most 18, memory: near idle, bystander: answered at once
