--TEST--
Tasks go straight from a worker to a task worker over their direct link: with the hub (the MODE_PROCESS master, the MODE_BASE manager) stopped by SIGSTOP, taskwait() round trips, taskCo() fan-outs and task() with a finish callback are still answered by both task workers; a task worker killed mid-task then is noticed by the worker itself (its waiter gets false at once) and tasks to any go to the other one; after SIGCONT the replacement gets a link of its own and answers; in both modes
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 1, 'task_worker_num' => 2, 'open_eof_split' => true,
                 'package_eof' => "\n", 'log_level' => 4]);
        $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
        $s->on('task', function ($s, $id, $src, $data) {
            if ($data === 'die') {
                exec('kill -9 ' . getmypid());
            }
            return "$data by {$s->worker_id}";
        });
        $s->on('finish', fn() => null);
        /* Answers from task worker $dst (-1: any), each one checked. */
        $rtt = function (int $n, int $dst = -1) use ($s): array {
            $by = [];
            for ($i = 0; $i < $n; $i++) {
                $r = $s->taskwait("t$i", 5.0, $dst);
                if (!is_string($r) || !preg_match("/^t$i by (\d+)$/", $r, $m)) {
                    return ['broken at ' . $i . ': ' . var_export($r, true)];
                }
                $by[$m[1]] = ($by[$m[1]] ?? 0) + 1;
            }
            ksort($by);
            return $by;
        };
        $s->on('receive', function ($s, $fd, $rid, $line) use ($rtt) {
            [$cmd, $hub] = explode(' ', trim($line)) + [1 => 0];
            if ($cmd === 'after') {
                /* The replacement of task worker #1, once the hub introduced it. */
                for ($i = 0; $i < 500 && $s->taskwait('x', 0.2, 0) !== 'x by 1'; $i++) {
                    Tide\Coroutine::sleep(0.01);
                }
                $s->send($fd, 'after SIGCONT, task worker #1 answers: ' . json_encode($rtt(50, 0)) . "\n");
                return;
            }
            /* One answer from each task worker first: the hub introduced the worker to a task
             * worker (on the same link, before) when that task worker took its slot. */
            $s->taskwait('warm', 10.0, 0);
            $s->taskwait('warm', 10.0, 1);
            exec("kill -STOP $hub");
            try {
                $out = ['round trips to each' => [$rtt(100, 0), $rtt(100, 1)]];
                $co = $s->taskCo(array_fill(0, 100, 'c'), 5.0);
                $out['taskCo of 100'] = count($co) === 100 && count(array_unique($co)) <= 2;
                $ch = new Tide\Coroutine\Channel(1);
                $s->task('cb', -1, fn($s, $id, $r) => $ch->push($r));
                $out['task with a callback'] = (bool) preg_match('/^cb by [12]$/', (string) $ch->pop(5.0));
                $t = microtime(true);
                $out['taskwait to a task worker that dies'] = $s->taskwait('die', 10.0, 0);
                $out['at once'] = microtime(true) - $t < 5.0; /* (not after the 10 s timeout) */
                $out['then tasks to any'] = $rtt(50);
            } finally {
                exec("kill -CONT $hub");
            }
            $s->send($fd, 'hub stopped: ' . json_encode($out) . "\n");
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(3); /* the worker and both task workers: in MODE_BASE the worker listens only once it started */
    $c = tide_connect($srv->port, '127.0.0.1', 30.0);
    fwrite($c, "stopped {$srv->pid}\n");
    echo "$name: ", trim((string) fgets($c)), "\n";
    fwrite($c, "after\n");
    echo "$name: ", trim((string) fgets($c)), "\n";
    $srv->stop();
}
?>
--EXPECT--
process: hub stopped: {"round trips to each":[{"1":100},{"2":100}],"taskCo of 100":true,"task with a callback":true,"taskwait to a task worker that dies":false,"at once":true,"then tasks to any":{"2":50}}
process: after SIGCONT, task worker #1 answers: {"1":50}
base: hub stopped: {"round trips to each":[{"1":100},{"2":100}],"taskCo of 100":true,"task with a callback":true,"taskwait to a task worker that dies":false,"at once":true,"then tasks to any":{"2":50}}
base: after SIGCONT, task worker #1 answers: {"1":50}
