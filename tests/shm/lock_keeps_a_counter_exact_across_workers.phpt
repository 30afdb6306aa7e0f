--TEST--
Tide\Lock (MUTEX, SPINLOCK, RWLOCK's write lock) made before start(): 4 workers each add 1 to a shared counter 5,000 times by a plain read then write under the lock, in the kernel (enable_coroutine off) and from coroutines, and it stays exact; in both modes
--EXTENSIONS--
tide
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

foreach (TIDE_MODES as $mode => $name) {
    foreach ([false, true] as $coro) {
        $srv = new TideServerProc(<<<'PHP'
            $types = ['MUTEX' => Tide\Lock::MUTEX, 'SPINLOCK' => Tide\Lock::SPINLOCK, 'RWLOCK' => Tide\Lock::RWLOCK];
            $locks = $counters = [];
            foreach ($types as $k => $t) {
                $locks[$k] = new Tide\Lock($t);
                $counters[$k] = new Tide\Atomic(0);
            }
            $done = new Tide\Atomic(0);
            $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
            $s->set(['worker_num' => 4, 'open_eof_split' => true, 'package_eof' => "\n", 'log_level' => 4,
                     'enable_coroutine' => getenv('CORO') === '1']);
            $s->on('workerStart', function ($s, $id) use ($locks, $counters, $done) {
                $run = function () use ($locks, $counters, $done, $s) {
                    foreach ($locks as $k => $l) {
                        for ($i = 0; $i < 5000; $i++) {
                            $l->lock();
                            $v = $counters[$k]->get(); /* not atomic: only the lock keeps it exact */
                            if ($i % 500 === 0) {
                                usleep(100);
                            }
                            $counters[$k]->set($v + 1);
                            $l->unlock();
                        }
                    }
                    $done->add(1);
                    tide_test_ready($s);
                };
                getenv('CORO') === '1' ? Tide\Coroutine::create($run) : $run();
            });
            $s->on('receive', function ($s, $fd, $rid, $data) use ($counters, $done) {
                $out = "done {$done->get()}";
                foreach ($counters as $k => $c) {
                    $out .= " $k {$c->get()}";
                }
                $s->send($fd, "$out\n");
            });
            $s->start();
        PHP, $mode, ['CORO' => $coro ? '1' : '0']);
        $srv->waitReady(4, 30);
        $c = tide_connect($srv->port);
        fwrite($c, "get\n");
        echo "$name", $coro ? ' (coroutines)' : '', ': ', tide_read_until($c, "\n");
        fclose($c);
        $srv->stop();
    }
}
?>
--EXPECT--
process: done 4 MUTEX 20000 SPINLOCK 20000 RWLOCK 20000
process (coroutines): done 4 MUTEX 20000 SPINLOCK 20000 RWLOCK 20000
base: done 4 MUTEX 20000 SPINLOCK 20000 RWLOCK 20000
base (coroutines): done 4 MUTEX 20000 SPINLOCK 20000 RWLOCK 20000
