--TEST--
Tide\Process::wait() inside a coroutine suspends only that coroutine until a child ends; wait(false) does not wait; with no child left it returns false
--EXTENSIONS--
tide
--FILE--
<?php
require __DIR__ . '/process.inc';
use Tide\Coroutine;
use Tide\Process;

$p = new Process(function (Process $p) {
    $p->read(); // until the parent says so
    exit(4);
});
$pid = tide_proc_track($p->start());

Tide\run(function () use ($p, $pid) {
    var_dump(Process::wait(false));
    $log = [];
    Tide\go(function () use ($p, &$log) {
        for ($i = 0; $i < 3; $i++) { Coroutine::sleep(0.01); $log[] = "tick $i"; }
        $p->write("exit now");
    });
    $r = Process::wait();
    $log[] = "reaped " . ($r['pid'] === $pid ? "the child" : "another") . " code {$r['code']}";
    echo implode("\n", $log), "\n";
    var_dump(Process::wait());
});
?>
--EXPECT--
bool(false)
tick 0
tick 1
tick 2
reaped the child code 4
bool(false)
