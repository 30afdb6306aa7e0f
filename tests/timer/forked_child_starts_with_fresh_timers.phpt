--TEST--
Tide\Timer in a child made by pcntl_fork(): the parent's timers are not pending there, and the child's own timers work and are listed alone
--EXTENSIONS--
tide
--SKIPIF--
<?php
if (!function_exists('pcntl_fork')) die('skip pcntl is not available');
?>
--FILE--
<?php
use Tide\Timer;

$parentPid = getmypid();
$inherited = [
    Timer::after(100, function () use ($parentPid) {
        echo "parent's after fired in the ", getmypid() === $parentPid ? 'parent' : 'child', "\n";
    }),
    Timer::tick(30, function (int $id) use ($parentPid) {
        echo "parent's tick fired in the ", getmypid() === $parentPid ? 'parent' : 'child', "\n";
        Timer::clear($id);
    }),
];

$pid = pcntl_fork();
if ($pid === 0) {
    /* The child's reactor starts afresh (the parent's belongs to the parent). */
    $mine = Timer::after(10, function () {
        echo "child's after fired\n";
    });
    echo "child list: ", iterator_to_array(Timer::list(), false) === [$mine] ? "only its own timer" : json_encode(iterator_to_array(Timer::list(), false)), "\n";
    var_dump(Timer::info($mine)['interval']);
    Tide\Event::wait();
    echo "child list after wait: ", json_encode(iterator_to_array(Timer::list(), false)), "\n";
    exit(0);
}
pcntl_waitpid($pid, $status);
echo "child exit status: ", pcntl_wexitstatus($status), "\n";
?>
--EXPECT--
child list: only its own timer
int(0)
child's after fired
child list after wait: []
child exit status: 0
parent's tick fired in the parent
parent's after fired in the parent
