--TEST--
Tide\Lock: a worker killed (SIGKILL) while it holds a MUTEX, a SPINLOCK, an RWLOCK's write lock or one of its read locks does not leave the others stuck: the next lock() in another worker succeeds with a warning naming the dead process, and the lock works as before after it; in both modes
--EXTENSIONS--
tide
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        $locks = ['MUTEX' => new Tide\Lock(Tide\Lock::MUTEX), 'SPINLOCK' => new Tide\Lock(Tide\Lock::SPINLOCK),
                  'RWLOCK' => new Tide\Lock(Tide\Lock::RWLOCK), 'RWLOCK-read' => new Tide\Lock(Tide\Lock::RWLOCK)];
        $holder = new Tide\Atomic(0); /* a reply sent just before the kill may never leave */
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 2, 'open_eof_split' => true, 'package_eof' => "\n", 'log_level' => 5]);
        $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
        $s->on('receive', function ($s, $fd, $rid, $data) use ($locks, $holder) {
            [$cmd, $k] = explode(' ', trim($data));
            $l = $locks[$k];
            if ($cmd === 'die') {
                $k === 'RWLOCK-read' ? $l->lock_read() : $l->lock();
                $holder->set(getmypid());
                exec('kill -9 ' . getmypid());
                return;
            }
            $warning = 'no warning';
            set_error_handler(function ($no, $msg) use (&$warning) {
                $warning = $msg;
                return true;
            });
            $t0 = microtime(true);
            $ok = $l->lock(LOCK_EX, 5);
            restore_error_handler();
            $s->send($fd, "{$holder->get()} " . getmypid() . ' ' . var_export($ok, true) . (microtime(true) - $t0 < 4 ? ' in time' : ' late')
                . " | $warning | unlock " . var_export($l->unlock(), true) . ', again ' . var_export($l->trylock(), true)
                . ' ' . var_export($l->unlock(), true) . "\n");
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(2);
    foreach (['MUTEX', 'SPINLOCK', 'RWLOCK', 'RWLOCK-read'] as $i => $k) {
        $c = tide_connect($srv->port);
        fwrite($c, "die $k\n");
        $closed = tide_closed_by_peer($c, 10);
        fclose($c);
        /* Its replacement is up (in MODE_BASE the next request could reach no one else). */
        $srv->waitFor('READY ', 3 + $i, 15);
        $c = tide_connect($srv->port);
        fwrite($c, "take $k\n");
        $r = trim(tide_read_until($c, "\n", 10));
        fclose($c);
        [$dead, $pid, $rest] = explode(' ', $r, 3) + ['', '', $r];
        echo "$name: $k: holder closed: ", var_export($closed, true), ', taken in another process: ',
            var_export((int) $pid !== $dead, true), ', ', str_replace("process $dead ", 'process DEAD ', $rest), "\n";
    }
    $srv->stop();
}
?>
--EXPECT--
process: MUTEX: holder closed: true, taken in another process: true, true in time | Tide\Lock::lock(): process DEAD died holding the lock: taken over from it (what the lock guarded may be half written) | unlock true, again true true
process: SPINLOCK: holder closed: true, taken in another process: true, true in time | Tide\Lock::lock(): process DEAD died holding the lock: taken over from it (what the lock guarded may be half written) | unlock true, again true true
process: RWLOCK: holder closed: true, taken in another process: true, true in time | Tide\Lock::lock(): process DEAD died holding the lock: taken over from it (what the lock guarded may be half written) | unlock true, again true true
process: RWLOCK-read: holder closed: true, taken in another process: true, true in time | Tide\Lock::lock(): process DEAD died holding the lock: taken over from it (what the lock guarded may be half written) | unlock true, again true true
base: MUTEX: holder closed: true, taken in another process: true, true in time | Tide\Lock::lock(): process DEAD died holding the lock: taken over from it (what the lock guarded may be half written) | unlock true, again true true
base: SPINLOCK: holder closed: true, taken in another process: true, true in time | Tide\Lock::lock(): process DEAD died holding the lock: taken over from it (what the lock guarded may be half written) | unlock true, again true true
base: RWLOCK: holder closed: true, taken in another process: true, true in time | Tide\Lock::lock(): process DEAD died holding the lock: taken over from it (what the lock guarded may be half written) | unlock true, again true true
base: RWLOCK-read: holder closed: true, taken in another process: true, true in time | Tide\Lock::lock(): process DEAD died holding the lock: taken over from it (what the lock guarded may be half written) | unlock true, again true true
