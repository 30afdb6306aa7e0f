--TEST--
Tide\Event::dispatch() runs one loop turn: it waits for the next event (a timer's tick), runs it and the coroutines it woke, and returns
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Event;
$ticks = 0;
$id = Tide\Timer::tick(5, function () use (&$ticks) { $ticks++; echo "tick $ticks\n"; });
for ($i = 0; $i < 3; $i++) {
    var_dump(Event::dispatch());
    echo "after dispatch $i\n";
}
Tide\Timer::clear($id);
var_dump($ticks);
?>
--EXPECT--
tick 1
bool(true)
after dispatch 0
tick 2
bool(true)
after dispatch 1
tick 3
bool(true)
after dispatch 2
int(3)
