--TEST--
Tasks waited for outside a coroutine (enable_coroutine off): taskwait() and taskWaitMulti() block the worker until the answers come (nothing else runs meanwhile), time out as asked, drop results that come late (and the task window still frees), and get false at once for a task whose task worker dies; in both modes
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 1, 'task_worker_num' => 2, 'enable_coroutine' => false,
                 'open_eof_split' => true, 'package_eof' => "\n", 'log_level' => 4]);
        $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
        $s->on('task', function ($s, $id, $src, $data) {
            if ($data === 'die') {
                exec('kill -9 ' . getmypid());
            }
            if (is_array($data) && isset($data['sleep'])) {
                usleep((int) ($data['sleep'] * 1e6));
            }
            return is_array($data) ? ($data['v'] ?? 0) * 2 : strtoupper($data);
        });
        $finishes = 0;
        $s->on('finish', function () use (&$finishes) { $finishes++; });
        $ticks = 0;
        $s->on('receive', function ($s, $fd, $rid, $line) use (&$finishes, &$ticks) {
            $say = fn($what) => $s->send($fd, $what . "\n");
            switch (trim($line)) {
            case 'wait':
                $say('in a coroutine: ' . var_export(Tide\Coroutine::getCid() > 0, true) . ', taskwait: '
                     . var_export($s->taskwait('abc', 2.0), true) . ', ' . var_export($s->taskwait(['v' => 21], 2.0), true));
                break;
            case 'block':
                /* A timer due every 10 ms does not run while the worker blocks. */
                $ticks = 0;
                $id = Tide\Timer::tick(10, function () use (&$ticks) { $ticks++; });
                $before = $ticks;
                $r = $s->taskwait(['sleep' => 0.3, 'v' => 1], 2.0);
                $during = $ticks - $before;
                Tide\Timer::clear($id);
                $say("blocked for the task: $r, timer ticks meanwhile: $during");
                break;
            case 'multi':
                $r = $s->taskWaitMulti(['a' => ['v' => 1], 'b' => ['v' => 2], 'slow' => ['sleep' => 0.6, 'v' => 3]], 0.3);
                ksort($r);
                $say('taskWaitMulti: ' . json_encode($r));
                break;
            case 'late':
                $t = microtime(true);
                $r = $s->taskwait(['sleep' => 0.4, 'v' => 1], 0.1);
                $say('timed out: ' . var_export($r, true) . ', after ' . (microtime(true) - $t < 0.3 ? 'the timeout' : 'the task'));
                break;
            case 'after':
                /* Once the late tasks have ended, their answers are dropped (the next
                 * blocking wait reads them first), not given to the finish event. */
                for ($i = 0; $i < 500 && $s->stats()['tasking_num'] > 0; $i++) {
                    usleep(10000); /* polling a state, bounded */
                }
                $r = $s->taskwait('x', 2.0);
                $st = $s->stats();
                $say("then: $r, finish events: $finishes, tasks not ended: {$st['tasking_num']}");
                break;
            case 'die':
                $t = microtime(true);
                $r = $s->taskwait('die', 5.0);
                $say('a task worker died: ' . var_export($r, true) . ', at once: ' . var_export(microtime(true) - $t < 3, true));
                break;
            }
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(3);
    $c = tide_connect($srv->port, '127.0.0.1', 10.0);
    foreach (['wait', 'block', 'multi', 'late', 'after', 'die'] as $cmd) {
        fwrite($c, "$cmd\n");
        echo "$name: ", trim((string) fgets($c)), "\n";
    }
    $srv->stop();
}
?>
--EXPECT--
process: in a coroutine: false, taskwait: 'ABC', 42
process: blocked for the task: 2, timer ticks meanwhile: 0
process: taskWaitMulti: {"a":2,"b":4}
process: timed out: false, after the timeout
process: then: X, finish events: 0, tasks not ended: 0
process: a task worker died: false, at once: true
base: in a coroutine: false, taskwait: 'ABC', 42
base: blocked for the task: 2, timer ticks meanwhile: 0
base: taskWaitMulti: {"a":2,"b":4}
base: timed out: false, after the timeout
base: then: X, finish events: 0, tasks not ended: 0
base: a task worker died: false, at once: true
