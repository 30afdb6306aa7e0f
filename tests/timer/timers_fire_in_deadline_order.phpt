--TEST--
Tide\Timer::after() timers fire in deadline order, and timers with equal delays in the order they were added
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Timer;

$fired = [];
Tide\run(function () use (&$fired) {
    $record = function (string $name) use (&$fired) {
        $fired[] = $name;
    };
    /* Added out of order; the equal delays are far enough from the others that the
     * microseconds between two add calls cannot reorder them. */
    foreach ([['d', 80], ['b', 40], ['e', 100], ['a', 20], ['c1', 60], ['c2', 60], ['c3', 60],
              ['b2', 40], ['a2', 20]] as [$name, $ms]) {
        Timer::after($ms, $record, $name);
    }
});
echo implode(' ', $fired), "\n";
?>
--EXPECT--
a a2 b b2 c1 c2 c3 d e
