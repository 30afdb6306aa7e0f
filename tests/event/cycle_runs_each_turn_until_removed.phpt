--TEST--
Tide\Event::cycle() calls back at the end of each loop turn (timers wake it), does not keep the loop alive, and null removes it (false when none is set)
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Event;
var_dump(Event::cycle(null));
$n = 0;
var_dump(Event::cycle(function () use (&$n) {
    echo "cycle $n\n";
    if (++$n == 3)
        var_dump(Event::cycle(null));
}));
// each timer made by the one before: three turns however slow the machine (valgrind)
Tide\Timer::after(10, function () {
    echo "timer 1\n";
    Tide\Timer::after(10, function () {
        echo "timer 2\n";
        Tide\Timer::after(10, fn() => print("timer 3\n"));
    });
});
Event::wait();
var_dump($n, Event::cycle(null));
?>
--EXPECT--
bool(false)
bool(true)
timer 1
cycle 0
timer 2
cycle 1
timer 3
cycle 2
bool(true)
int(3)
bool(false)
