--TEST--
Server: stats() counts connections, accepts, closes and requests across workers, in both modes
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

$s = new Tide\Server('127.0.0.1', 0);
try {
    $s->stats();
    echo "not started: no exception\n";
} catch (Tide\Exception $e) {
    echo "not started: ", get_class($e), ': ', $e->getMessage(), "\n";
}
unset($s);

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        function ready($s) { echo "READY {$s->ports[0]->port} {$s->worker_id} " . getmypid() . "\n"; }
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 2, 'open_eof_split' => true, 'package_eof' => "\n"]);
        $s->on('workerStart', fn($s, $id) => ready($s));
        $s->on('receive', function ($s, $fd, $rid, $data) {
            if ($data === "stats\n") {
                $st = $s->stats();
                $st['now'] = time();
                $s->send($fd, json_encode($st) . "\n");
            } else {
                $s->send($fd, "ok\n");
            }
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(2);
    $t0 = time();
    $sent = 0;
    $c = tide_connect($srv->port);
    $stats = function () use ($c, &$sent) {
        fwrite($c, "stats\n");
        $sent++;
        return json_decode(tide_read_until($c, "\n"), true);
    };
    $pick = function ($st) use (&$sent) {
        return json_encode(['connection_num' => $st['connection_num'], 'accept_count' => $st['accept_count'],
            'close_count' => $st['close_count']]) . ($st['request_count'] === $sent ? ", every request counted" : ", request_count {$st['request_count']} != $sent");
    };
    $st = $stats();
    echo "$name: first: ", $pick($st), "\n";
    foreach (['start_time', 'connection_num', 'accept_count', 'close_count', 'request_count', 'worker_num',
              'task_worker_num', 'tasking_num', 'worker_request_count', 'worker_id'] as $k) {
        if (!array_key_exists($k, $st)) echo "$name: missing $k\n";
    }
    echo "$name: start_time in range: ", var_export($st['start_time'] > 0 && $st['start_time'] <= $t0 + 1, true),
        ", worker_num {$st['worker_num']}, task_worker_num {$st['task_worker_num']}\n";
    $others = [];
    for ($i = 0; $i < 5; $i++) {
        $o = tide_connect($srv->port);
        for ($k = 0; $k <= $i; $k++) {
            fwrite($o, "x\n");
            $sent++;
            tide_read_until($o, "ok\n");
        }
        $others[] = $o;
    }
    echo "$name: 6 open: ", $pick($stats()), "\n";
    fclose($others[1]);
    fclose($others[3]);
    $deadline = microtime(true) + 5;
    do {
        $st = $stats();
    } while ($st['close_count'] < 2 && microtime(true) < $deadline);
    echo "$name: 2 closed: ", $pick($st), "\n";
    foreach ($others as $k => $o) if ($k !== 1 && $k !== 3) fclose($o);
    /* Several requests in one write are each counted. */
    fwrite($c, "x\nx\nx\n");
    $sent += 3;
    tide_read_until($c, "ok\nok\nok\n");
    $deadline = microtime(true) + 5;
    do {
        $st = $stats();
    } while ($st['close_count'] < 5 && microtime(true) < $deadline);
    echo "$name: 5 closed: ", $pick($st), "\n";
    $srv->stop();
}
?>
--EXPECT--
not started: Tide\Exception: Tide\Server::stats() cannot be called before start()
process: first: {"connection_num":1,"accept_count":1,"close_count":0}, every request counted
process: start_time in range: true, worker_num 2, task_worker_num 0
process: 6 open: {"connection_num":6,"accept_count":6,"close_count":0}, every request counted
process: 2 closed: {"connection_num":4,"accept_count":6,"close_count":2}, every request counted
process: 5 closed: {"connection_num":1,"accept_count":6,"close_count":5}, every request counted
base: first: {"connection_num":1,"accept_count":1,"close_count":0}, every request counted
base: start_time in range: true, worker_num 2, task_worker_num 0
base: 6 open: {"connection_num":6,"accept_count":6,"close_count":0}, every request counted
base: 2 closed: {"connection_num":4,"accept_count":6,"close_count":2}, every request counted
base: 5 closed: {"connection_num":1,"accept_count":6,"close_count":5}, every request counted
