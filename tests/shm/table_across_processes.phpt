--TEST--
Tide\Table across a server's processes: a table created before start() is the same memory in the master, the manager, every worker and task worker (nothing serialized); incr from three processes at once is exact; while two processes flip rows between two consistent states, a reader in a third never sees half of a write; both modes
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        $t = new Tide\Table(1024);
        $t->column('n', Tide\Table::TYPE_INT);
        $t->column('f', Tide\Table::TYPE_FLOAT);
        $t->column('s', Tide\Table::TYPE_STRING, 64);
        $t->create();
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 2, 'task_worker_num' => 1, 'open_eof_split' => true,
                 'package_eof' => "\n", 'log_level' => 4]);
        $s->on('start', fn() => $t->set('start event', ['n' => getmypid()]));
        $s->on('managerStart', fn() => $t->set('manager', ['n' => getmypid()]));
        $s->on('task', fn() => null);
        $s->on('workerStart', function ($s, $id) use ($t) {
            tide_test_ready($s);
            $t->incr('ready', 'n');
            while ($t->get('ready', 'n') < 3) {   // all three at once from here
                usleep(100);
            }
            $writer = $id != 1;
            $torn = $reads = 0;
            $until = microtime(true) + 1.5;
            for ($i = 0; microtime(true) < $until; $i++) {
                $k = 'row' . ($i % 8);
                if ($writer) {
                    $v = ($i + $id) % 2;
                    $t->set($k, ['n' => $v ? 111111 : 222222, 'f' => $v ? 1.5 : 2.5,
                                 's' => str_repeat($v ? 'a' : 'b', 64)]);
                } elseif ($row = $t->get($k)) {
                    $reads++;
                    $a = $row['n'] === 111111;
                    if ($row['f'] !== ($a ? 1.5 : 2.5) || $row['s'] !== str_repeat($a ? 'a' : 'b', 64)) {
                        $torn++;
                    }
                }
            }
            for ($i = 0; $i < 20000; $i++) {
                $t->incr('hits', 'n');
                $t->incr('hits', 'f', 0.5);
            }
            echo $writer ? "writer done\n" : "reader: $reads reads, $torn torn\n";
        });
        $s->on('receive', function ($s, $fd, $rid, $line) use ($t) {
            $others = [];
            foreach (['start event', 'manager'] as $k) {
                $pid = $t->get($k, 'n');
                $others[] = "$k: " . ($pid > 0 && $pid !== getmypid() ? 'seen' : var_export($pid, true));
            }
            $s->send($fd, sprintf("hits %d, %.1f; %s; count %d\n", $t->get('hits', 'n'),
                                  $t->get('hits', 'f'), implode(', ', $others), count($t)));
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(3);
    if (!$srv->waitFor(' done', 2, 30) || !$srv->waitFor('reader:', 1, 30)) {
        echo $srv->out(), $srv->err();
    }
    preg_match('/reader: (\d+) reads, (\d+) torn/', $srv->out(), $m);
    echo "$name: reader ", $m[1] > 1000 ? 'read many rows' : "read {$m[1]} rows", ", $m[2] torn\n";
    $c = tide_connect($srv->port);
    fwrite($c, "stats\n");
    echo "$name: ", fgets($c);
    $srv->stop();
}
?>
--EXPECT--
process: reader read many rows, 0 torn
process: hits 60000, 30000.0; start event: seen, manager: seen; count 12
base: reader read many rows, 0 torn
base: hits 60000, 30000.0; start event: seen, manager: seen; count 12
