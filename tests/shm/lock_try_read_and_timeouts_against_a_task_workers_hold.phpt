--TEST--
Tide\Lock held by a task worker, seen from a worker: trylock(), lock(LOCK_EX | LOCK_NB) and lockwait()/lock() with a timeout fail (the timed ones after about their timeout); an RWLOCK read lock admits other readers (trylock_read(), lock(LOCK_SH)) but no writer; unlock() of a lock this process does not hold is false with a warning; after the task worker lets go, trylock() succeeds; in both modes
--EXTENSIONS--
tide
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        $locks = ['MUTEX' => new Tide\Lock(), 'SPINLOCK' => new Tide\Lock(Tide\Lock::SPINLOCK),
                  'RWLOCK' => new Tide\Lock(Tide\Lock::RWLOCK)];
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 1, 'task_worker_num' => 1, 'open_eof_split' => true,
                 'package_eof' => "\n", 'log_level' => 4]);
        $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
        $s->on('task', function ($s, $tid, $src, $d) use ($locks) {
            [$cmd, $k] = $d;
            return match ($cmd) {
                'hold' => $locks[$k]->lock(),
                'read' => $locks[$k]->lock_read(),
                'release' => $locks[$k]->unlock(),
            };
        });
        $b = fn($v) => var_export($v, true);
        $took = fn($t0, $min) => ($d = microtime(true) - $t0) >= $min && $d < $min + 1.5 ? 'in time' : sprintf('after %.3f s', $d);
        $s->on('receive', function ($s, $fd, $rid, $data) use ($locks, $b, $took) {
            [$cmd, $k] = explode(' ', trim($data));
            $l = $locks[$k];
            $out = [];
            switch ($cmd) {
            case 'held':
                $out[] = 'hold by the task worker ' . $b($s->taskwait(['hold', $k], 5));
                $out[] = 'trylock ' . $b($l->trylock());
                $out[] = 'NB ' . $b($l->lock(LOCK_EX | LOCK_NB));
                $t0 = microtime(true);
                $out[] = 'lockwait(0.2) ' . $b($l->lockwait(0.2)) . ' ' . $took($t0, 0.2);
                $t0 = microtime(true);
                $out[] = 'lock(LOCK_EX, 0.2) ' . $b($l->lock(LOCK_EX, 0.2)) . ' ' . $took($t0, 0.2);
                $out[] = 'unlock ' . $b(@$l->unlock()) . ' (' . error_get_last()['message'] . ')';
                $out[] = 'release ' . $b($s->taskwait(['release', $k], 5));
                $out[] = 'trylock ' . $b($l->trylock()) . ' ' . $b($l->unlock());
                break;
            case 'read':
                $out[] = 'read lock by the task worker ' . $b($s->taskwait(['read', $k], 5));
                $out[] = 'trylock_read ' . $b($l->trylock_read()) . ' ' . $b($l->unlock());
                $out[] = 'lock(LOCK_SH | LOCK_NB) ' . $b($l->lock(LOCK_SH | LOCK_NB)) . ' ' . $b($l->unlock());
                $out[] = 'lock_read ' . $b($l->lock_read()) . ' ' . $b($l->unlock());
                $out[] = 'trylock ' . $b($l->trylock());
                $t0 = microtime(true);
                $out[] = 'lock(LOCK_EX, 0.2) ' . $b($l->lock(LOCK_EX, 0.2)) . ' ' . $took($t0, 0.2);
                $out[] = 'release ' . $b($s->taskwait(['release', $k], 5));
                $out[] = 'trylock ' . $b($l->trylock());
                $out[] = 'trylock_read ' . $b($l->trylock_read()) . ' ' . $b($l->unlock());
                break;
            }
            $s->send($fd, implode(', ', $out) . "\n");
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(2);
    $c = tide_connect($srv->port);
    foreach (['held MUTEX', 'held SPINLOCK', 'held RWLOCK', 'read RWLOCK'] as $cmd) {
        fwrite($c, "$cmd\n");
        echo "$name: $cmd: ", tide_read_until($c, "\n", 10);
    }
    $srv->stop();
}
?>
--EXPECT--
process: held MUTEX: hold by the task worker true, trylock false, NB false, lockwait(0.2) false in time, lock(LOCK_EX, 0.2) false in time, unlock false (Tide\Lock::unlock(): this process does not hold the lock), release true, trylock true true
process: held SPINLOCK: hold by the task worker true, trylock false, NB false, lockwait(0.2) false in time, lock(LOCK_EX, 0.2) false in time, unlock false (Tide\Lock::unlock(): this process does not hold the lock), release true, trylock true true
process: held RWLOCK: hold by the task worker true, trylock false, NB false, lockwait(0.2) false in time, lock(LOCK_EX, 0.2) false in time, unlock false (Tide\Lock::unlock(): this process does not hold the lock), release true, trylock true true
process: read RWLOCK: read lock by the task worker true, trylock_read true true, lock(LOCK_SH | LOCK_NB) true true, lock_read true true, trylock false, lock(LOCK_EX, 0.2) false in time, release true, trylock true, trylock_read false true
base: held MUTEX: hold by the task worker true, trylock false, NB false, lockwait(0.2) false in time, lock(LOCK_EX, 0.2) false in time, unlock false (Tide\Lock::unlock(): this process does not hold the lock), release true, trylock true true
base: held SPINLOCK: hold by the task worker true, trylock false, NB false, lockwait(0.2) false in time, lock(LOCK_EX, 0.2) false in time, unlock false (Tide\Lock::unlock(): this process does not hold the lock), release true, trylock true true
base: held RWLOCK: hold by the task worker true, trylock false, NB false, lockwait(0.2) false in time, lock(LOCK_EX, 0.2) false in time, unlock false (Tide\Lock::unlock(): this process does not hold the lock), release true, trylock true true
base: read RWLOCK: read lock by the task worker true, trylock_read true true, lock(LOCK_SH | LOCK_NB) true true, lock_read true true, trylock false, lock(LOCK_EX, 0.2) false in time, release true, trylock true, trylock_read false true
