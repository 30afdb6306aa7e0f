--TEST--
A child forked in a coroutine (inside Tide\run() or from go() at the top level) can start coroutines, whose loop then runs, and use channels made before the fork
--EXTENSIONS--
tide
--SKIPIF--
<?php
if (!function_exists('pcntl_fork')) die('skip pcntl is not available');
?>
--FILE--
<?php
use Tide\Coroutine;
use Tide\Coroutine\Channel;

function report($pid, $what) {
    pcntl_waitpid($pid, $status);
    echo "$what: child ", pcntl_wifsignaled($status) ? "killed by signal " . pcntl_wtermsig($status) : "exited " . pcntl_wexitstatus($status), "\n";
}

Tide\run(function () {
    if (($pid = pcntl_fork()) === 0) {
        Tide\go(function () {});
        exit(0);
    }
    report($pid, "go() in the loop");
});

$parent = getmypid();
Tide\run(function () {
    Coroutine::sleep(0.001); // the loop runs
    if (($pid = pcntl_fork()) === 0) {
        Tide\go(function () { Coroutine::sleep(0.01); echo "child: its own coroutine finished\n"; });
        return;
    }
    report($pid, "go() in the running loop");
});
if (getmypid() !== $parent) {
    exit(0);
}

Tide\go(function () {
    if (($pid = pcntl_fork()) === 0) {
        Tide\go(function () {});
        exit(0);
    }
    report($pid, "go() outside the loop");
});

$ch = new Channel(4);
$pid = -1;
Tide\run(function () use (&$pid) {
    Coroutine::sleep(0.01);
    $pid = pcntl_fork();
    if ($pid !== 0) {
        Coroutine::sleep(0.01); // the child returns at once: its loop sees the fork and leaves
    }
});
if ($pid === 0) {
    $ch->push("x");
    Tide\run(function () use ($ch) {
        Tide\go(function () use ($ch) { $ch->pop(); $ch->pop(); });
        $ch->push("y");
    });
    exit(0);
}
report($pid, "channel after the loop");
?>
--EXPECT--
go() in the loop: child exited 0
child: its own coroutine finished
go() in the running loop: child exited 0
go() outside the loop: child exited 0
channel after the loop: child exited 0
