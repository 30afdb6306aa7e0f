--TEST--
Tide\Event::wait() runs the loop until no timer made outside Tide\run() is pending, and returns at once when nothing is
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Event;
use Tide\Timer;

/* Nothing pending, not even a reactor yet. */
var_dump(Event::wait());

$start = hrtime(true);
Timer::after(60, function () {
    echo "after 60\n";
});
Timer::tick(20, function (int $id) {
    static $n = 0;
    echo "tick ", ++$n, "\n";
    if ($n === 2) {
        Timer::clear($id);
    }
});
echo "before wait\n";
var_dump(Event::wait());
$elapsedMs = (hrtime(true) - $start) / 1e6;
echo "after wait\n";
echo $elapsedMs >= 60 ? "waited for the last timer\n" : "returned too early: $elapsedMs ms\n";
var_dump(iterator_count(Timer::list()));

/* Called from a callback while the loop runs: refused. */
Timer::after(5, function () {
    try {
        Event::wait();
    } catch (Tide\Exception $e) {
        echo $e->getMessage(), "\n";
    }
});
Event::wait();
echo "end\n";
?>
--EXPECT--
NULL
before wait
tick 1
tick 2
after 60
NULL
after wait
waited for the last timer
int(0)
Tide\Event::wait() cannot be called while the event loop runs
end
