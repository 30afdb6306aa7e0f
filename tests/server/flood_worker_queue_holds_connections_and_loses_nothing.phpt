--TEST--
Server back-pressure: worker_max_inflight bounds what a worker has been handed; connections past it wait unread and are served as the worker drains, with no request lost, for every dispatch mode in MODE_PROCESS and in MODE_BASE
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

const CLIENTS = 4, EACH = 60;

$cases = [
    'process, dispatch_mode 2' => [Tide\MODE_PROCESS, 2],
    'process, dispatch_mode 1' => [Tide\MODE_PROCESS, 1],
    'process, dispatch_mode 3' => [Tide\MODE_PROCESS, 3],
    'base' => [Tide\MODE_BASE, 2],
];
foreach ($cases as $name => [$mode, $dispatch]) {
    $srv = new TideServerProc(<<<PHP
        \$s = new Tide\\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        \$s->set(['worker_num' => 2, 'dispatch_mode' => $dispatch, 'worker_max_inflight' => 10,
                 'connection_max_inflight' => 1000, 'open_eof_split' => true, 'package_eof' => "\\n"]);
        \$s->on('workerStart', fn(\$s, \$id) => tide_test_ready(\$s));
        \$peak = 0;
        \$now = 0;
        \$s->on('receive', function (\$s, \$fd, \$rid, \$data) use (&\$peak, &\$now) {
            \$now++;
            \$peak = max(\$peak, \$now);
            Tide\\Coroutine::sleep(0.02);
            \$now--;
            \$s->send(\$fd, "done \$peak " . trim(\$data) . "\\n");
        });
        \$s->start();
    PHP, $mode);
    $srv->waitReady(2);
    $conns = [];
    for ($i = 0; $i < CLIENTS; $i++) {
        $conns[$i] = tide_connect($srv->port);
        $batch = '';
        for ($k = 0; $k < EACH; $k++) {
            $batch .= "$i-$k\n";
        }
        fwrite($conns[$i], $batch);
    }
    $peak = 0;
    $got = 0;
    $missing = [];
    foreach ($conns as $i => $c) {
        $seen = [];
        $buf = '';
        $deadline = microtime(true) + 20;
        while (count($seen) < EACH && microtime(true) < $deadline) {
            $buf .= tide_read_until($c, "\n", 1);
            while (($p = strpos($buf, "\n")) !== false) {
                [, $pk, $id] = explode(' ', substr($buf, 0, $p));
                $buf = substr($buf, $p + 1);
                $peak = max($peak, (int) $pk);
                $seen[$id] = true;
            }
        }
        $got += count($seen);
        if (count($seen) < EACH) {
            $missing[] = $i;
        }
    }
    echo "$name: ", $got === CLIENTS * EACH ? 'every request answered' : "$got of " . CLIENTS * EACH . ' answered (clients ' . implode(',', $missing) . ' short)',
        ', most in flight in one worker: ', $peak <= 10 ? 'at most 10' : $peak, "\n";
    $srv->stop();
}
?>
--EXPECT--
process, dispatch_mode 2: every request answered, most in flight in one worker: at most 10
process, dispatch_mode 1: every request answered, most in flight in one worker: at most 10
process, dispatch_mode 3: every request answered, most in flight in one worker: at most 10
base: every request answered, most in flight in one worker: at most 10
