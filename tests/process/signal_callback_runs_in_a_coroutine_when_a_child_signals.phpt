--TEST--
Tide\Process::signal(): a child sends SIGUSR1 to the parent and the callback runs in the loop, in a coroutine of its own; null removes it; a listener alone does not keep the loop running
--EXTENSIONS--
tide
--FILE--
<?php
require __DIR__ . '/process.inc';
use Tide\Coroutine;
use Tide\Coroutine\Channel;
use Tide\Process;

$parent = getmypid();
Tide\run(function () use ($parent) {
    $ch = new Channel(1);
    var_dump(Process::signal(SIGUSR1, function (int $signo) use ($ch) {
        $ch->push("callback for signal $signo in coroutine " . (Coroutine::getCid() > 1 ? "of its own" : "?"));
    }));
    $p = new Process(function () use ($parent) {
        Process::kill($parent, SIGUSR1);
    });
    tide_proc_track($p->start());
    echo $ch->pop(10), "\n";
    Process::wait();
    var_dump(Process::signal(SIGUSR1, null));
    var_dump(@Process::signal(SIGUSR1, null), error_get_last()['message']);
});

// nothing but a listener: the loop ends at once
$t = microtime(true);
Tide\run(function () {
    Process::signal(SIGUSR2, function () { echo "never\n"; });
});
echo "run() returned: ", microtime(true) - $t < 1 ? "at once" : "late", "\n";
Process::signal(SIGUSR2, null);

// kill() of a process that is gone: false with a warning; signal 0 asks without one
$q = new Process(function () {});
$pid = $q->start();
Process::wait();
var_dump(@Process::kill($pid, SIGTERM), error_get_last()['message'] === "Tide\\Process::kill(): kill($pid, 15) failed: No such process");
error_clear_last();
var_dump(Process::kill($pid, 0), error_get_last());
?>
--EXPECT--
bool(true)
callback for signal 10 in coroutine of its own
bool(true)
bool(false)
string(49) "Tide\Process::signal(): no callback for signal 10"
run() returned: at once
bool(false)
bool(true)
bool(false)
NULL
