--TEST--
Tide\Event::dispatch() runs one loop turn: it waits for the next event (a timer's tick), runs it and the coroutines it woke, and returns to the caller
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Event;
$ticks = 0;
$woken = 0;
$id = Tide\Timer::tick(20, function () use (&$ticks, &$woken) {
    $ticks++;
    // a coroutine the tick wakes runs within the same dispatch()
    Tide\go(function () use (&$woken) { Tide\Coroutine::sleep(0.001); $woken++; });
});
$calls = 0;
$per = [];
while ($ticks < 3) {
    $before = $ticks;
    if (!Event::dispatch()) echo "dispatch failed\n";
    $calls++;
    $per[] = $ticks - $before;
    if ($calls > 100) { echo "dispatch does not wait\n"; break; }
}
Tide\Timer::clear($id);
while ($woken < 3 && $calls++ < 100) Event::dispatch();
var_dump($ticks, $woken);
// one turn at a time: it took a dispatch() per tick (two ticks fall in one turn only when the
// machine stalled past a whole interval, which the 20 ms timer then catches up)
var_dump(count(array_filter($per)) >= 2);
?>
--EXPECT--
int(3)
int(3)
bool(true)
