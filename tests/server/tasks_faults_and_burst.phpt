--TEST--
Tasks: a task worker that dies mid-task is replaced and its waiting caller gets false at once (not after its timeout); stats() shows tasking_num, task_queue_num, task_idle_worker_num and per task worker counters while tasks run; reload(true) lets a running task finish and deliver its result; a burst of 100,000 task() calls from one coroutine, faster than the task worker drains them, waits for room instead of growing (the worker's memory stays near idle), loses nothing and keeps the sender's order; a worker that stops while it waits for a task still gets the result; in both modes
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        /* Waits (in this coroutine, up to 5 s) until the server's stats satisfy $ok. */
        function until_stats(Tide\Server $s, callable $ok): bool
        {
            for ($i = 0; $i < 500; $i++) {
                if ($ok($s->stats())) {
                    return true;
                }
                Tide\Coroutine::sleep(0.01);
            }
            return false;
        }
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 1, 'task_worker_num' => 1, 'open_eof_split' => true,
                 'package_eof' => "\n", 'log_level' => 4]);
        $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
        $seen = ['n' => 0, 'last' => 0, 'out_of_order' => 0];
        $s->on('task', function ($s, $id, $src, $data) use (&$seen) {
            if ($data === 'die') {
                exec('kill -9 ' . getmypid());
            }
            if (is_array($data) && isset($data['sleep'])) {
                usleep((int) ($data['sleep'] * 1e6));
                return 'slept';
            }
            if (is_int($data)) {
                $seen['n']++;
                if ($data !== $seen['last'] + 1) {
                    $seen['out_of_order']++;
                }
                $seen['last'] = $data;
                return null;
            }
            if (is_array($data) && isset($data['k'])) {
                $k = $data['k'];
                $seen['per'][$k] = $seen['per'][$k] ?? 0;
                if ($data['i'] !== $seen['per'][$k] + 1) {
                    $seen['out_of_order']++;
                }
                $seen['per'][$k] = $data['i'];
                return null;
            }
            if ($data === 'count') {
                return $seen;
            }
            return 'ok';
        });
        $s->on('finish', fn() => null);
        $s->on('receive', function ($s, $fd, $rid, $line) {
            $say = fn($what) => $s->send($fd, $what . "\n");
            switch (trim($line)) {
            case 'die':
                $t = microtime(true);
                $r = $s->taskwait('die', 10.0);
                $say('a task worker died mid-task: ' . var_export($r, true) . ', before the timeout: ' . var_export(microtime(true) - $t < 5, true));
                break;
            case 'after':
                $say('the replacement answers: ' . $s->taskwait('x', 5.0));
                break;
            case 'tasking':
                $s->task(['sleep' => 0.3]);
                $s->task(['sleep' => 0.3]);
                until_stats($s, fn($st) => $st['task_workers'][1]['running'] === 1 && $st['tasking_num'] === 2);
                $st = $s->stats();
                $one = $st['task_workers'][1];
                $say("while one runs and one waits: tasking_num {$st['tasking_num']}, task_queue_num {$st['task_queue_num']}, "
                     . "task_idle_worker_num {$st['task_idle_worker_num']}, task worker #1: tasking {$one['tasking']}, running {$one['running']}, "
                     . 'pid ' . var_export($one['pid'] === $s->getWorkerPid(1), true));
                break;
            case 'reload':
                $old = $s->getWorkerPid(1);
                Tide\Coroutine::create(function () use ($s) {
                    until_stats($s, fn($st) => $st['task_workers'][1]['running'] === 1); /* it runs */
                    $s->reload(true);
                });
                $r = $s->taskwait(['sleep' => 0.5], 5.0);
                /* The reloaded task worker handles what reached it before it shut its gate:
                 * the next test's tasks must all go to its replacement, so it is gone first. */
                for ($i = 0; $i < 500; $i++) {
                    $stat = @file_get_contents("/proc/$old/stat");
                    if ($stat === false || str_contains($stat, ') Z ')) {
                        break;
                    }
                    Tide\Coroutine::sleep(0.01);
                }
                $say('a task running across reload(true): ' . var_export($r, true));
                break;
            case 'burst3':
                /* Three coroutines at once, 20,000 tasks each: each one's order is kept. */
                $wg = new Tide\Coroutine\Channel(3);
                for ($k = 0; $k < 3; $k++) {
                    Tide\Coroutine::create(function () use ($s, $k, $wg) {
                        for ($i = 1; $i <= 20000; $i++) {
                            $s->task(['k' => $k, 'i' => $i]);
                        }
                        $wg->push(true);
                    });
                }
                for ($k = 0; $k < 3; $k++) {
                    $wg->pop();
                }
                $count = $s->taskwait('count', 30.0);
                $per = $count['per'];
                ksort($per);
                $say('three bursting coroutines: each sent 20000, the task worker saw ' . json_encode(array_values($per))
                     . ", out of order {$count['out_of_order']}");
                break;
            case 'stopwait':
                /* This worker stops (gracefully) while its taskwait() runs: the result still
                 * comes, and the answer goes out before it exits. */
                Tide\Coroutine::create(function () use ($s) {
                    until_stats($s, fn($st) => $st['task_workers'][1]['running'] === 1);
                    $s->stop();
                });
                $say('a stopping worker still gets its task result: ' . var_export($s->taskwait(['sleep' => 0.3], 5.0), true));
                break;
            case 'burst':
                gc_collect_cycles();
                $before = memory_get_usage();
                $peak0 = memory_get_peak_usage();
                $t = microtime(true);
                $ok = 0;
                for ($i = 1; $i <= 100000; $i++) {
                    $ok += $s->task($i) ? 1 : 0;
                }
                $took = microtime(true) - $t;
                $count = $s->taskwait('count', 30.0);
                $grew = memory_get_peak_usage() - $peak0;
                $say("burst: task() accepted $ok, the task worker saw {$count['n']}, out of order {$count['out_of_order']}, "
                     . 'peak memory grew ' . ($grew < 4 << 20 ? 'less than 4 MiB' : "$grew bytes"));
                break;
            }
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(2);
    $c = tide_connect($srv->port, '127.0.0.1', 60.0);
    foreach (['die', 'after', 'tasking', 'reload', 'burst', 'burst3', 'stopwait'] as $cmd) {
        fwrite($c, "$cmd\n");
        echo "$name: ", trim((string) fgets($c)), "\n";
    }
    $srv->stop();
    echo "$name: log names the dead task worker: ", preg_match('/task worker #1 \(pid \d+\) was killed by signal 9/', $srv->err() . $srv->out()) ? 'yes' : 'no', "\n";
}
?>
--EXPECT--
process: a task worker died mid-task: false, before the timeout: true
process: the replacement answers: ok
process: while one runs and one waits: tasking_num 2, task_queue_num 1, task_idle_worker_num 0, task worker #1: tasking 2, running 1, pid true
process: a task running across reload(true): 'slept'
process: burst: task() accepted 100000, the task worker saw 100000, out of order 0, peak memory grew less than 4 MiB
process: three bursting coroutines: each sent 20000, the task worker saw [20000,20000,20000], out of order 0
process: a stopping worker still gets its task result: 'slept'
process: log names the dead task worker: yes
base: a task worker died mid-task: false, before the timeout: true
base: the replacement answers: ok
base: while one runs and one waits: tasking_num 2, task_queue_num 1, task_idle_worker_num 0, task worker #1: tasking 2, running 1, pid true
base: a task running across reload(true): 'slept'
base: burst: task() accepted 100000, the task worker saw 100000, out of order 0, peak memory grew less than 4 MiB
base: three bursting coroutines: each sent 20000, the task worker saw [20000,20000,20000], out of order 0
base: a stopping worker still gets its task result: 'slept'
base: log names the dead task worker: yes
