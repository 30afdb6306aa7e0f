--TEST--
Tide\Timer callback that forks: the child leaves the parent's loop, runs the timers it makes itself, and the parent's loop goes on undisturbed
--EXTENSIONS--
tide
--SKIPIF--
<?php
if (!function_exists('pcntl_fork')) die('skip pcntl is not available');
?>
--FILE--
<?php
use Tide\Timer;

$parent = getmypid();
$result = Tide\run(function () use ($parent) {
    Timer::after(10, function () use ($parent) {
        $pid = pcntl_fork();
        if ($pid === 0) {
            $mine = Timer::after(5, function () {
                echo "child: its own timer fired\n";
            });
            echo "child: pending timers are only its own: ",
                iterator_to_array(Timer::list(), false) === [$mine] ? 'yes' : 'no', "\n";
            return;
        }
        pcntl_waitpid($pid, $status);
        echo "parent: child exited with ", pcntl_wexitstatus($status), "\n";
    });
    Timer::after(40, function () use ($parent) {
        echo getmypid() === $parent ? "parent" : "child", ": the parent's second timer fired\n";
    });
});
echo getmypid() === $parent ? "parent" : "child", ": Tide\\run returned ", var_export($result, true), "\n";
if (getmypid() !== $parent) {
    exit(0);
}
?>
--EXPECT--
child: pending timers are only its own: yes
child: its own timer fired
child: Tide\run returned true
parent: child exited with 0
parent: the parent's second timer fired
parent: Tide\run returned true
