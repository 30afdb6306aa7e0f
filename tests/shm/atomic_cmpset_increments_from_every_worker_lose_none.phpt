--TEST--
Tide\Atomic::cmpset() and Tide\Atomic\Long::cmpset() racing in 4 workers: increments made by read-then-cmpset, retried when another worker won, lose none; in both modes
--EXTENSIONS--
tide
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        $a = new Tide\Atomic(0);
        $l = new Tide\Atomic\Long(PHP_INT_MAX - 10000);
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 4, 'open_eof_split' => true, 'package_eof' => "\n", 'log_level' => 4]);
        $s->on('workerStart', function ($s, $id) use ($a, $l) {
            for ($i = 0; $i < 5000;) {
                $v = $a->get();
                if ($a->cmpset($v, $v + 1)) {
                    $i++;
                }
            }
            for ($i = 0; $i < 5000;) {
                $v = $l->get();
                /* past PHP_INT_MAX: wraps to PHP_INT_MIN (two's complement), as C would */
                if ($l->cmpset($v, $v === PHP_INT_MAX ? PHP_INT_MIN : $v + 1)) {
                    $i++;
                }
            }
            tide_test_ready($s);
        });
        $s->on('receive', function ($s, $fd, $rid, $data) use ($a, $l) {
            $s->send($fd, "atomic {$a->get()} long " . ($l->get() - PHP_INT_MIN) . "\n");
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(4);
    $c = tide_connect($srv->port);
    fwrite($c, "get\n");
    echo "$name: ", tide_read_until($c, "\n");
    fclose($c);
    $srv->stop();
}
?>
--EXPECT--
process: atomic 20000 long 9999
base: atomic 20000 long 9999
