--TEST--
Tide\Atomic and Tide\Atomic\Long made before start(): 4 workers and 2 task workers each add 10,000 at once, and the client reads the exact totals; in both modes
--EXTENSIONS--
tide
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        $a = new Tide\Atomic(0);
        $l = new Tide\Atomic\Long(-5);
        $done = new Tide\Atomic(0);
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 4, 'task_worker_num' => 2, 'open_eof_split' => true,
                 'package_eof' => "\n", 'log_level' => 4]);
        $s->on('workerStart', function ($s, $id) use ($a, $l, $done) {
            for ($i = 0; $i < 10000; $i++) {
                $a->add();
                $l->add(3);
                $l->sub(1);
            }
            $done->add(1);
            tide_test_ready($s);
        });
        $s->on('task', fn() => null);
        $s->on('receive', function ($s, $fd, $rid, $data) use ($a, $l, $done) {
            $s->send($fd, "done {$done->get()} atomic {$a->get()} long {$l->get()}\n");
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(6);
    $c = tide_connect($srv->port);
    fwrite($c, "get\n");
    echo "$name: ", tide_read_until($c, "\n");
    fclose($c);
    $srv->stop();
}
?>
--EXPECT--
process: done 6 atomic 60000 long 119995
base: done 6 atomic 60000 long 119995
