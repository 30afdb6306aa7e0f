--TEST--
Inside a worker's coroutine, Tide\Atomic::wait() and Tide\Lock::lock()/lockwait() on a held lock suspend only that coroutine: the same single worker serves another connection meanwhile, and the waits end when another coroutine of it wakes the counter or lets the lock go; in both modes
--EXTENSIONS--
tide
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        $a = new Tide\Atomic(0);
        $locks = ['MUTEX' => new Tide\Lock(Tide\Lock::MUTEX), 'SPINLOCK' => new Tide\Lock(Tide\Lock::SPINLOCK),
                  'RWLOCK' => new Tide\Lock(Tide\Lock::RWLOCK)];
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 1, 'open_eof_split' => true, 'package_eof' => "\n", 'log_level' => 4]);
        $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
        $s->on('receive', function ($s, $fd, $rid, $data) use ($a, $locks) {
            $cmd = explode(' ', trim($data));
            $l = $locks[$cmd[1] ?? 'MUTEX'];
            switch ($cmd[0]) {
            case 'wait':
                $s->send($fd, "waiting\n");
                $s->send($fd, 'wait: ' . var_export($a->wait(10), true) . "\n");
                break;
            case 'wake':
                $s->send($fd, 'wakeup: ' . var_export($a->wakeup(), true) . "\n");
                break;
            case 'hold':
                $s->send($fd, "hold {$cmd[1]}: " . var_export($l->lock(), true) . "\n");
                break;
            case 'lock':
                $s->send($fd, "waiting\n");
                $ok = $cmd[2] === 'lock' ? $l->lock(LOCK_EX, 10) : $l->lockwait(10);
                $s->send($fd, "{$cmd[2]} {$cmd[1]}: " . var_export($ok, true) . ', unlock: ' . var_export($l->unlock(), true) . "\n");
                break;
            case 'unlock':
                $s->send($fd, "unlock {$cmd[1]}: " . var_export($l->unlock(), true) . "\n");
                break;
            case 'ping':
                $s->send($fd, "pong\n");
                break;
            }
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(1);
    $ask = function ($c, $line) {
        fwrite($c, "$line\n");
        return trim(tide_read_until($c, "\n"));
    };
    $waiter = tide_connect($srv->port);
    $other = tide_connect($srv->port);
    echo "$name: ", $ask($waiter, 'wait'), "\n";
    $t0 = microtime(true);
    echo "$name: ", $ask($other, 'ping'), ' ', microtime(true) - $t0 < 2 ? 'at once' : 'late', "\n";
    echo "$name: ", $ask($other, 'wake'), "\n";
    echo "$name: ", trim(tide_read_until($waiter, "\n", 5)), "\n";
    foreach (['MUTEX', 'SPINLOCK', 'RWLOCK'] as $i => $type) {
        $how = $i === 1 ? 'lockwait' : 'lock';
        echo "$name: ", $ask($other, "hold $type"), "\n";
        echo "$name: ", $ask($waiter, "lock $type $how"), "\n";
        $t0 = microtime(true);
        echo "$name: ", $ask($other, 'ping'), ' ', microtime(true) - $t0 < 2 ? 'at once' : 'late', "\n";
        echo "$name: ", $ask($other, "unlock $type"), "\n";
        echo "$name: ", trim(tide_read_until($waiter, "\n", 5)), "\n";
    }
    $srv->stop();
}
?>
--EXPECT--
process: waiting
process: pong at once
process: wakeup: true
process: wait: true
process: hold MUTEX: true
process: waiting
process: pong at once
process: unlock MUTEX: true
process: lock MUTEX: true, unlock: true
process: hold SPINLOCK: true
process: waiting
process: pong at once
process: unlock SPINLOCK: true
process: lockwait SPINLOCK: true, unlock: true
process: hold RWLOCK: true
process: waiting
process: pong at once
process: unlock RWLOCK: true
process: lock RWLOCK: true, unlock: true
base: waiting
base: pong at once
base: wakeup: true
base: wait: true
base: hold MUTEX: true
base: waiting
base: pong at once
base: unlock MUTEX: true
base: lock MUTEX: true, unlock: true
base: hold SPINLOCK: true
base: waiting
base: pong at once
base: unlock SPINLOCK: true
base: lockwait SPINLOCK: true, unlock: true
base: hold RWLOCK: true
base: waiting
base: pong at once
base: unlock RWLOCK: true
base: lock RWLOCK: true, unlock: true
