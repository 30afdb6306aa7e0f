--TEST--
Tide\Timer callbacks run each in a coroutine of their own (a new one per call of a tick), so they may call Tide\Coroutine::sleep() without holding up other timers
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;
use Tide\Timer;

$cids = [];
Tide\run(function () use (&$cids) {
    Timer::after(10, function () use (&$cids) {
        $cids[] = Coroutine::getCid();
        echo "after: sleeping\n";
        $me = Coroutine::getCid();
        Coroutine::sleep(0.2);
        echo "after: woke in the same coroutine: ", $me === Coroutine::getCid() ? 'yes' : 'no', "\n";
    });
    Timer::tick(20, function (int $id) use (&$cids) {
        static $n = 0;
        $cids[] = Coroutine::getCid();
        echo "tick ", ++$n, "\n";
        if ($n === 3) {
            Timer::clear($id);
        }
    });
});
echo count($cids), " calls\n";
echo "all in a coroutine: ", min($cids) > 0 ? 'yes' : 'no', "\n";
echo "all different: ", count(array_unique($cids)) === count($cids) ? 'yes' : 'no', "\n";

/* Outside Tide\run() too (run at script end). */
Timer::after(5, function () {
    echo "timer outside run in a coroutine: ", Coroutine::getCid() > 0 ? 'yes' : 'no', "\n";
    Coroutine::sleep(0.001);
    echo "and slept\n";
});
?>
--EXPECT--
after: sleeping
tick 1
tick 2
tick 3
after: woke in the same coroutine: yes
4 calls
all in a coroutine: yes
all different: yes
timer outside run in a coroutine: yes
and slept
