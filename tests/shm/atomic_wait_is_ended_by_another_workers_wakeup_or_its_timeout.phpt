--TEST--
Tide\Atomic::wait() in one process is ended by wakeup() in another (a worker's coroutine woken by the other worker; a task worker, outside coroutines, asleep in the kernel, woken by a worker), takes the wakeup (the value is 0 again), and returns false after about its timeout when nobody wakes it; in both modes
--EXTENSIONS--
tide
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        $a = new Tide\Atomic(0);
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 2, 'task_worker_num' => 1, 'open_eof_split' => true,
                 'package_eof' => "\n", 'log_level' => 4]);
        $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
        $took = fn($t0, $min, $max) => ($d = microtime(true) - $t0) >= $min && $d < $max
            ? "in time" : sprintf("after %.3f s", $d);
        $s->on('receive', function ($s, $fd, $rid, $data) use ($a, $took) {
            $t0 = microtime(true);
            switch (trim($data)) {
            case 'wait': /* the other worker wakes this one */
                $s->sendMessage('wake', 1 - $s->worker_id);
                $ok = $a->wait(5);
                $s->send($fd, "worker: " . var_export($ok, true) . ' ' . $took($t0, 0, 4) . " value {$a->get()}\n");
                break;
            case 'timeout':
                $ok = $a->wait(0.3);
                $s->send($fd, "worker timeout: " . var_export($ok, true) . ' ' . $took($t0, 0.29, 2) . "\n");
                break;
            case 'task':
            case 'task-timeout':
                $s->task([trim($data), $fd]);
                if (trim($data) === 'task') {
                    Tide\Coroutine::sleep(0.2); /* most likely asleep by now; either way works */
                    $a->wakeup();
                }
                break;
            }
        });
        $s->on('pipeMessage', fn($s, $src, $msg) => $a->wakeup());
        $s->on('task', function ($s, $tid, $src, $d) use ($a, $took) {
            [$what, $fd] = $d;
            $t0 = microtime(true);
            $ok = $a->wait($what === 'task' ? 5 : 0.3);
            $s->send($fd, "$what: " . var_export($ok, true) . ' ' . ($what === 'task' ? $took($t0, 0, 4) : $took($t0, 0.29, 2)) . " value {$a->get()}\n");
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(3);
    foreach (['wait', 'timeout', 'task', 'task-timeout'] as $cmd) {
        $c = tide_connect($srv->port);
        fwrite($c, "$cmd\n");
        echo "$name: ", tide_read_until($c, "\n", 10);
        fclose($c);
    }
    $srv->stop();
}
?>
--EXPECT--
process: worker: true in time value 0
process: worker timeout: false in time
process: task: true in time value 0
process: task-timeout: false in time value 0
base: worker: true in time value 0
base: worker timeout: false in time
base: task: true in time value 0
base: task-timeout: false in time value 0
