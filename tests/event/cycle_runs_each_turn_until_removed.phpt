--TEST--
Tide\Event::cycle() calls back at the end of each loop turn (timers wake it), does not keep the loop alive, and null removes it (false when none is set)
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Event;
var_dump(Event::cycle(null));
$n = 0;
$fired = false;
// Each timer is made by the cycle callback, at the end of a turn, so it fires in a later
// turn however slow the machine; a turn that ran none of them (an early wakeup) is skipped.
var_dump(Event::cycle(function () use (&$n, &$fired) {
    if (!$fired)
        return;
    $fired = false;
    echo "cycle $n\n";
    if (++$n < 3)
        Tide\Timer::after(1, function () use (&$fired, $n) { echo "timer $n\n"; $fired = true; });
    else
        var_dump(Event::cycle(null));
}));
Tide\Timer::after(1, function () use (&$fired) { echo "timer 0\n"; $fired = true; });
Event::wait();
var_dump($n, Event::cycle(null));
?>
--EXPECT--
bool(false)
bool(true)
timer 0
cycle 0
timer 1
cycle 1
timer 2
cycle 2
bool(true)
int(3)
bool(false)
