--TEST--
Tide\Timer::clearAll() from inside a callback stops every other pending tick and after, returns true, and leaves list() empty
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Timer;

$log = [];
$start = hrtime(true);
$r = Tide\run(function () use (&$log) {
    Timer::tick(10, function () use (&$log) { $log[] = 'tick'; });
    Timer::tick(15, function () use (&$log) { $log[] = 'tick2'; });
    Timer::after(2000, function () use (&$log) { $log[] = 'late after'; });
    Timer::after(3000, function () use (&$log) { $log[] = 'later after'; });
    Timer::after(50, function () use (&$log) {
        $log[] = 'clearAll';
        var_dump(Timer::clearAll());
        var_dump(iterator_to_array(Timer::list()));
    });
});
$elapsedMs = (hrtime(true) - $start) / 1e6;

var_dump($r);
echo end($log), "\n";
echo in_array('tick', $log, true) && in_array('tick2', $log, true) ? "ticks ran before\n" : "ticks never ran\n";
echo in_array('late after', $log, true) || in_array('later after', $log, true) ? "a cleared after ran\n" : "no cleared after ran\n";
/* Tide\run returned as soon as nothing was pending, not after the cleared 2 s and 3 s timers. */
echo $elapsedMs < 1500 ? "returned early\n" : "waited for cleared timers: $elapsedMs ms\n";
var_dump(iterator_count(Timer::list()), Timer::clearAll());
?>
--EXPECT--
bool(true)
array(0) {
}
bool(true)
clearAll
ticks ran before
no cleared after ran
returned early
int(0)
bool(true)
