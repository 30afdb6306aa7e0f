--TEST--
tide.swoole_compat=On, written as a Swoole user writes it: Co\Scheduler runs the coroutines add() and parallel() collected (with set()'s options) and start() returns when all ended; Co\Lock: LOCK_EX makes a read-modify-write across suspending coroutines exact, LOCK_SH lets readers in together and keeps a writer out, LOCK_NB does not wait, unlock() by a coroutine that holds nothing and a second lock() by the holder are warnings and false, a canceled waiter gets false; a $shared lock is one lock for a forked child and its parent (the parent's coroutine waits for the child to let go)
--INI--
tide.swoole_compat=On
--FILE--
<?php
use Swoole\Coroutine\Scheduler;
use Swoole\Coroutine\Lock;

$sch = new Scheduler;
$sch->set(['max_coroutine' => 1000, 'hook_flags' => SWOOLE_HOOK_ALL]);
$lock = new Lock;
$counter = 0;
$sch->parallel(10, function (int $rounds) use ($lock, &$counter) {
    for ($i = 0; $i < $rounds; $i++) {
        $lock->lock();
        $v = $counter;
        Co::sleep(0.001);                 // another coroutine runs here; it must not get in
        $counter = $v + 1;
        $lock->unlock();
    }
}, 5);
$sch->add(function () { echo "added coroutine ran\n"; });
var_dump($sch->getOptions()['max_coroutine']);
var_dump($sch->start(), $counter);

Co\run(function () use ($lock) {
    $lock->lock(LOCK_SH);
    $reader = go(function () use ($lock) {
        var_dump($lock->lock(LOCK_SH | LOCK_NB));        // readers together
        var_dump($lock->unlock());
        var_dump($lock->lock(LOCK_EX | LOCK_NB));        // a writer is kept out
    });
    $writer = go(function () use ($lock) {
        $lock->lock(LOCK_EX);                           // waits for the reader
        echo "writer in\n";
        $lock->unlock();
    });
    echo "reader lets go\n";
    $lock->unlock();
    Co::join([$writer]);
    var_dump($lock->unlock());                          // holds nothing
    $lock->lock();
    var_dump($lock->lock());                            // not reentrant
    $waiter = go(function () use ($lock) { var_dump($lock->lock()); });
    Co::cancel($waiter);
    $lock->unlock();
    try { $lock->lock(7); } catch (ValueError $e) { echo $e->getMessage(), "\n"; }
});

/* One lock for a forked child and its parent. */
$shared = new Lock(true);
[$up, $down] = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, 0);
$pid = pcntl_fork();
if ($pid === 0) {
    $shared->lock();
    fwrite($down, "held\n");
    fgets($down);                                        // let go when told
    $shared->unlock();
    exit(0);
}
Co\run(function () use ($shared, $up) {
    echo "child: ", fgets($up);
    var_dump($shared->lock(LOCK_EX | LOCK_NB));
    go(function () use ($up) { fwrite($up, "go\n"); });
    var_dump($shared->lock());                          // waits until the child lets go
    $shared->unlock();
});
pcntl_waitpid($pid, $status);
var_dump(pcntl_wexitstatus($status));
?>
--EXPECTF--
int(1000)
added coroutine ran
bool(true)
int(50)
bool(true)
bool(true)
bool(false)
reader lets go
writer in

Warning: Swoole\Coroutine\Lock::unlock(): This lock is not held by its caller, coroutine #%d in %s on line %d
bool(false)

Warning: Swoole\Coroutine\Lock::lock(): This lock is held already by its caller, coroutine #%d in %s on line %d
bool(false)
Swoole\Coroutine\Lock::lock(): Argument #1 ($operation) must be LOCK_EX or LOCK_SH, optionally | LOCK_NB
bool(false)
child: held
bool(false)
bool(true)
int(0)
