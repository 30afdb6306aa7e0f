--TEST--
Tasks: a task worker reloaded (SIGUSR2) while a worker that has a direct link to it is busy (its loop not running) leaves at once, without waiting for that worker to come back, and without killing (max_wait_time 60 s); a task the worker sends right after, before its loop has seen the old one go, and its next ones, reach the replacement; in both modes
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 1, 'task_worker_num' => 1, 'open_eof_split' => true,
                 'package_eof' => "\n", 'log_level' => 4, 'max_wait_time' => 60]);
        $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
        $s->on('task', fn($s, $id, $src, $data) => getmypid());
        $s->on('receive', function ($s, $fd, $rid, $line) {
            if (trim($line) === 'pid') {
                $s->send($fd, var_export($s->taskwait('pid', 5.0), true) . "\n");
                return;
            }
            /* Busy for 3 s: the loop, and so the direct link, is not read meanwhile. */
            echo "BUSY\n";
            $end = microtime(true) + 3;
            while (microtime(true) < $end) {
            }
            /* A task at once, before the loop has read that the old one is gone: it must
             * reach the replacement, not the old link. */
            $r = $s->taskwait('pid', 5.0);
            $s->send($fd, 'done; a task sent right after is answered: ' . var_export(is_int($r), true) . "\n");
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(2); /* the worker and the task worker: in MODE_BASE the worker listens only once it started */
    $c = tide_connect($srv->port, '127.0.0.1', 15.0);
    fwrite($c, "pid\n");
    $old = (int) trim((string) fgets($c));
    fwrite($c, "busy\n");
    $srv->waitFor('BUSY');
    $t = microtime(true);
    $srv->signal($srv->pid, 'USR2');
    /* (gone, or a zombie its parent has not reaped yet; not is_dir(): PHP caches stat) */
    while (($st = @file_get_contents("/proc/$old/stat")) !== false && !str_contains($st, ') Z ')
           && microtime(true) - $t < 10) {
        usleep(10000);
    }
    $left = microtime(true) - $t;
    echo "$name: the old task worker left while the worker was busy: ", var_export($left < 2.0, true), "\n";
    echo "$name: the worker: ", trim((string) fgets($c)), "\n";
    fwrite($c, "pid\n");
    $new = (int) trim((string) fgets($c));
    echo "$name: the next task is answered by the replacement: ", var_export($new > 0 && $new !== $old, true), "\n";
    $srv->stop();
}
?>
--EXPECT--
process: the old task worker left while the worker was busy: true
process: the worker: done; a task sent right after is answered: true
process: the next task is answered by the replacement: true
base: the old task worker left while the worker was busy: true
base: the worker: done; a task sent right after is answered: true
base: the next task is answered by the replacement: true
