--TEST--
Tide\Process with enable_coroutine (or set(['enable_coroutine' => true])): the child runs the callback in a coroutine of a fresh Tide\run(), its coroutines finish before it exits; a process started from a coroutine without it runs there
--EXTENSIONS--
tide
--FILE--
<?php
require __DIR__ . '/process.inc';
use Tide\Coroutine;
use Tide\Process;

Tide\Timer::after(5000, function () { echo "parent timer: must not run in the child\n"; });
$make = function (Process $p) {
    $log = "in coroutine " . (Coroutine::getCid() > 0 ? "yes" : "no");
    Tide\go(function () use ($p, &$log) {
        Coroutine::sleep(0.02);
        $p->write("$log; go() finished");
    });
};
$p = new Process($make, false, 2, true);
tide_proc_track($p->start());
$p->setTimeout(10);
echo $p->read(), "\n";
var_dump(Process::wait()['code']);

$q = new Process($make);
$q->set(['enable_coroutine' => true]);
tide_proc_track($q->start());
$q->setTimeout(10);
echo $q->read(), "\n";
var_dump(Process::wait()['code']);
Tide\Timer::clearAll();

// started from a coroutine of the parent's loop (no enable_coroutine): the child runs the
// callback there and exits; the parent's loop goes on
Tide\run(function () {
    $r = new Process(function (Process $p) { $p->write("child of a coroutine"); exit(6); });
    tide_proc_track($r->start());
    $r->setTimeout(10);
    echo $r->read(), "\n";
    echo "code ", Process::wait()['code'], "\n";
});
echo "parent done\n";
?>
--EXPECT--
in coroutine yes; go() finished
int(0)
in coroutine yes; go() finished
int(0)
child of a coroutine
code 6
parent done
