--TEST--
Tasks: task() returns an id at once and the result reaches the finish event, or the task's own callback; taskwait(), taskCo() and taskWaitMulti() wait in the calling coroutine only, results keyed like the tasks, late results dropped (never reaching the finish event); a task that returns null ends its waiter at once; finish() before the return wins; strings and serialized values of 16 MiB cross both ways; a closure or a resource is an error at the call; a wrong destination, task() in a task worker, finish() in a worker and a server without a 'task' callback are errors naming the culprit; in both modes
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 1, 'task_worker_num' => 2, 'open_eof_split' => true,
                 'package_eof' => "\n", 'package_max_length' => 20 << 20, 'log_level' => 4]);
        $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
        $finishes = 0;
        $s->on('finish', function ($s, $id, $data) use (&$finishes) {
            $finishes++;
            if (is_array($data) && isset($data['fd'])) {
                $tw = in_array($data['by'], [1, 2], true) ? 'a task worker' : "worker {$data['by']}";
                $s->send($data['fd'], "finish event: task $id got v {$data['v']} from $tw (src {$data['src']})\n");
            }
        });
        $s->on('task', function ($s, $id, $src, $data) {
            if (is_string($data) && strlen($data) > 1000) {
                return strlen($data) . ' ' . md5($data);
            }
            if (is_string($data)) {
                return strtoupper($data) . " by {$s->worker_id}";
            }
            if (isset($data['sleep'])) {
                usleep((int) ($data['sleep'] * 1e6));
            }
            if (isset($data['big'])) {
                return ['echo' => $data['big']];
            }
            if (!empty($data['none'])) {
                return null;
            }
            if (!empty($data['finish'])) {
                $s->finish('first');
                return 'second';
            }
            if (!empty($data['nested'])) {
                try {
                    $s->task(1);
                } catch (Throwable $e) {
                    return get_class($e) . ': ' . $e->getMessage();
                }
            }
            return ['v' => ($data['v'] ?? 0) * 2, 'by' => $s->worker_id, 'src' => $src, 'fd' => $data['fd'] ?? null];
        });
        $s->on('receive', function ($s, $fd, $rid, $line) use (&$finishes) {
            $say = fn($what) => $s->send($fd, $what . "\n");
            $try = function ($f) use ($say) {
                try {
                    $f();
                    $say('no error');
                } catch (Throwable $e) {
                    $say(get_class($e) . ': ' . $e->getMessage());
                }
            };
            switch (trim($line)) {
            case 'task':
                $id = $s->task(['v' => 21, 'fd' => $fd]);
                $say("task() gave id " . var_export(is_int($id) && $id > 0, true));
                break;
            case 'callback':
                $s->task('hello', 1, function ($s, $id, $data) use ($say) { $say("own callback: $data"); });
                break;
            case 'wait':
                $t = microtime(true);
                $r = $s->taskwait(['v' => 5], 2.0);
                $say('taskwait: v ' . $r['v'] . ', by a task worker: ' . var_export(in_array($r['by'], [1, 2], true), true) . ", src {$r['src']}");
                break;
            case 'timeout':
                $before = $finishes;
                $t = microtime(true);
                $r = $s->taskwait(['sleep' => 0.4, 'v' => 1], 0.1);
                $took = microtime(true) - $t;
                /* Until the late task has ended (the hub sent its answer), then one more round
                 * trip: its answer comes after the late one on the same link. */
                for ($i = 0; $i < 500 && $s->stats()['tasking_num'] > 0; $i++) {
                    Tide\Coroutine::sleep(0.01);
                }
                $s->taskwait('ping', 2.0);
                $say('taskwait timed out: ' . var_export($r, true) . ', after ' . ($took < 0.35 ? 'about the timeout' : "$took s")
                     . ', late result reached the finish event: ' . var_export($finishes !== $before, true));
                break;
            case 'none':
                $t = microtime(true);
                $r = $s->taskwait(['none' => true], 5.0);
                $say('a task without a result: ' . var_export($r, true) . ', at once: ' . var_export(microtime(true) - $t < 2.0, true));
                break;
            case 'finish':
                $say('finish() then return: ' . $s->taskwait(['finish' => true], 2.0));
                break;
            case 'co':
                $r = $s->taskCo(['a' => ['v' => 1], 'slow' => ['sleep' => 0.5, 'v' => 2], 5 => 'x', 6 => ['none' => true]], 0.25);
                ksort($r);
                $say('taskCo: ' . json_encode(array_map(fn($v) => is_array($v) ? $v['v'] : preg_replace('/by [12]$/', 'by T', $v), $r)));
                break;
            case 'multi':
                $r = $s->taskWaitMulti([['v' => 3], ['v' => 4]], 2.0);
                $say('taskWaitMulti: ' . json_encode(array_map(fn($v) => $v['v'], $r)));
                break;
            case 'big':
                $str = str_repeat('0123456789abcdef', 1 << 20); /* 16 MiB */
                $say('16 MiB string: ' . ($s->taskwait($str, 10.0) === (16 << 20) . ' ' . md5($str) ? 'intact' : 'broken'));
                $arr = ['big' => [str_repeat('z', 8 << 20), str_repeat('y', (8 << 20) - 100)]];
                $r = $s->taskwait($arr, 10.0);
                $say('16 MiB array both ways: ' . ($r === ['echo' => $arr['big']] ? 'intact' : 'broken'));
                break;
            case 'errors':
                $try(fn() => $s->task(function () {}));
                $try(fn() => $s->task(['f' => STDIN]));
                $try(fn() => $s->task(1, 2));
                $try(fn() => $s->taskwait(1, 0));
                $try(fn() => $s->finish(1));
                $try(fn() => $s->task(str_repeat('x', 21 << 20)));
                $say('nested: ' . $s->taskwait(['nested' => true], 2.0));
                break;
            case 'stats':
                /* Every task above has ended (a late one a moment after its waiter gave up). */
                for ($i = 0; $i < 100 && ($st = $s->stats())['tasking_num'] > 0; $i++) {
                    Tide\Coroutine::sleep(0.02);
                }
                $say("stats: task_worker_num {$st['task_worker_num']}, tasking_num {$st['tasking_num']}");
                break;
            }
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(3);
    $c = tide_connect($srv->port, '127.0.0.1', 20.0);
    $ask = function (string $cmd, int $lines = 1) use ($c, $name) {
        fwrite($c, "$cmd\n");
        $got = [];
        for ($i = 0; $i < $lines; $i++) {
            $got[] = trim((string) fgets($c));
        }
        sort($got);
        foreach ($got as $l) {
            echo "$name: $l\n";
        }
    };
    $ask('task', 2);
    $ask('callback');
    $ask('wait');
    $ask('timeout');
    $ask('none');
    $ask('finish');
    $ask('co');
    $ask('multi');
    $ask('big', 2);
    $ask('errors', 7);
    $ask('stats');
    $srv->stop();
}

/* No 'task' callback: start() refuses. */
$srv = new TideServerProc(<<<'PHP'
    $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
    $s->set(['task_worker_num' => 1]);
    $s->on('receive', fn() => null);
    try {
        $s->start();
    } catch (Tide\Exception $e) {
        echo $e->getMessage(), "\n";
    }
PHP, Tide\MODE_PROCESS);
$srv->waitExit();
echo $srv->out();
?>
--EXPECT--
process: finish event: task 1 got v 42 from a task worker (src 0)
process: task() gave id true
process: own callback: HELLO by 2
process: taskwait: v 10, by a task worker: true, src 0
process: taskwait timed out: false, after about the timeout, late result reached the finish event: false
process: a task without a result: false, at once: true
process: finish() then return: first
process: taskCo: {"5":"X by T","a":2}
process: taskWaitMulti: [6,8]
process: 16 MiB array both ways: intact
process: 16 MiB string: intact
process: Exception: Serialization of 'Closure' is not allowed
process: Tide\Exception: Tide\Server::finish() can only be called from a task worker, not from a worker
process: TypeError: The task's data must not hold a resource (it cannot be sent to another process)
process: ValueError: The task's data is 22020096 bytes, over package_max_length (20971520)
process: ValueError: Tide\Server::task(): Argument #2 ($dstWorkerId) must be -1 (any) or a task worker index between 0 and 1
process: ValueError: Tide\Server::taskwait(): Argument #2 ($timeout) must be a timeout in seconds above 0
process: nested: Tide\Exception: Tide\Server::task() can only be called from a worker, not from a task worker
process: stats: task_worker_num 2, tasking_num 0
base: finish event: task 1 got v 42 from a task worker (src 0)
base: task() gave id true
base: own callback: HELLO by 2
base: taskwait: v 10, by a task worker: true, src 0
base: taskwait timed out: false, after about the timeout, late result reached the finish event: false
base: a task without a result: false, at once: true
base: finish() then return: first
base: taskCo: {"5":"X by T","a":2}
base: taskWaitMulti: [6,8]
base: 16 MiB array both ways: intact
base: 16 MiB string: intact
base: Exception: Serialization of 'Closure' is not allowed
base: Tide\Exception: Tide\Server::finish() can only be called from a task worker, not from a worker
base: TypeError: The task's data must not hold a resource (it cannot be sent to another process)
base: ValueError: The task's data is 22020096 bytes, over package_max_length (20971520)
base: ValueError: Tide\Server::task(): Argument #2 ($dstWorkerId) must be -1 (any) or a task worker index between 0 and 1
base: ValueError: Tide\Server::taskwait(): Argument #2 ($timeout) must be a timeout in seconds above 0
base: nested: Tide\Exception: Tide\Server::task() can only be called from a worker, not from a task worker
base: stats: task_worker_num 2, tasking_num 0
Tide\Server::start(): task_worker_num is 1: the server needs a 'task' callback
