--TEST--
Tasks with task_enable_coroutine: the task callback gets a Tide\Task (id, worker_id, flags, data, dispatch_time) in a coroutine of its own, so one task worker runs several tasks at once; Task::finish() before the return wins; Server::finish() there warns; a Task made with new cannot finish; a task worker killed after max_wait_time while it stops has its tasks reported lost at once; in both modes
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
        $s->set(['worker_num' => 1, 'task_worker_num' => 1, 'task_enable_coroutine' => true,
                 'open_eof_split' => true, 'package_eof' => "\n", 'log_level' => 4,
                 'max_wait_time' => 0.3]);
        $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
        $s->on('task', function ($s, Tide\Task $t) {
            if ($t->data === 'finish') {
                $t->finish('first');
                $again = @$t->finish('again');
                return 'second, again: ' . var_export($again, true);
            }
            if ($t->data === 'server finish') {
                return 'server finish: ' . var_export(@$s->finish('x'), true) . ' (' . error_get_last()['message'] . ')';
            }
            if ($t->data === 'long') {
                Tide\Coroutine::sleep(5);
                return 'too late';
            }
            Tide\Coroutine::sleep(0.2);
            return ['id' => $t->id, 'worker_id' => $t->worker_id, 'data' => $t->data,
                    'dispatch_time' => is_float($t->dispatch_time) && abs($t->dispatch_time - microtime(true)) < 5,
                    'in a coroutine' => Tide\Coroutine::getCid() > 0];
        });
        $s->on('receive', function ($s, $fd, $rid, $line) {
            $say = fn($what) => $s->send($fd, $what . "\n");
            switch (trim($line)) {
            case 'one':
                $r = $s->taskwait(['k' => 'v'], 2.0);
                $say('task: id ' . var_export(is_int($r['id']), true) . ", worker_id {$r['worker_id']}, data " . json_encode($r['data'])
                     . ', dispatch_time ' . var_export($r['dispatch_time'], true) . ', in a coroutine ' . var_export($r['in a coroutine'], true));
                break;
            case 'many':
                $t = microtime(true);
                $r = $s->taskCo(array_fill(0, 5, 'nap'), 3.0);
                $took = microtime(true) - $t;
                $say('5 tasks of 0.2 s on one task worker: ' . count($r) . ' results, ' . ($took < 0.6 ? 'at once' : "one after the other ($took s)"));
                break;
            case 'reload':
                /* reload(true) while a task runs longer than max_wait_time: the task worker is
                 * killed after it said it stops, and the waiter hears of it at once. */
                Tide\Coroutine::create(function () use ($s) {
                    until_stats($s, fn($st) => $st['task_workers'][1]['running'] === 1); /* it runs */
                    $s->reload(true);
                });
                $t = microtime(true);
                $r = $s->taskwait('long', 4.0);
                $say('a task killed with its stopping task worker: ' . var_export($r, true) . ', after '
                     . (microtime(true) - $t < 2 ? 'max_wait_time, not the timeout' : 'the timeout'));
                $say('the new task worker answers: ' . count($s->taskCo(['nap'], 2.0)));
                break;
            case 'finish':
                $say('Task::finish() then return: ' . $s->taskwait('finish', 2.0));
                $say($s->taskwait('server finish', 2.0));
                try {
                    (new Tide\Task())->finish(1);
                } catch (Tide\Exception $e) {
                    $say($e->getMessage());
                }
                break;
            }
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(2);
    $c = tide_connect($srv->port, '127.0.0.1', 10.0);
    foreach (['one' => 1, 'many' => 1, 'finish' => 3, 'reload' => 2] as $cmd => $n) {
        fwrite($c, "$cmd\n");
        for ($i = 0; $i < $n; $i++) {
            echo "$name: ", trim((string) fgets($c)), "\n";
        }
    }
    $srv->stop();
}
?>
--EXPECT--
process: task: id true, worker_id 0, data {"k":"v"}, dispatch_time true, in a coroutine true
process: 5 tasks of 0.2 s on one task worker: 5 results, at once
process: Task::finish() then return: first
process: server finish: false (Tide\Server::finish(): With task_enable_coroutine, answer with Tide\Task::finish())
process: Tide\Task::finish(): this task was not handed to this process
process: a task killed with its stopping task worker: false, after max_wait_time, not the timeout
process: the new task worker answers: 1
base: task: id true, worker_id 0, data {"k":"v"}, dispatch_time true, in a coroutine true
base: 5 tasks of 0.2 s on one task worker: 5 results, at once
base: Task::finish() then return: first
base: server finish: false (Tide\Server::finish(): With task_enable_coroutine, answer with Tide\Task::finish())
base: Tide\Task::finish(): this task was not handed to this process
base: a task killed with its stopping task worker: false, after max_wait_time, not the timeout
base: the new task worker answers: 1
