--TEST--
Tide\Timer::clear() returns false for an id that is unknown, not positive, or already cleared
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Timer;

var_dump(Timer::clear(999999), Timer::clear(0), Timer::clear(-1), Timer::clear(PHP_INT_MIN));

$fired = false;
Tide\run(function () use (&$fired) {
    $id = Timer::after(1000, function () use (&$fired) {
        $fired = true;
    });
    var_dump(Timer::clear($id), Timer::clear($id));
    /* A one-shot that has already run is gone as well. */
    $done = Timer::after(1, function () {});
    Timer::after(20, function () use ($done) {
        var_dump(Timer::clear($done));
    });
});
var_dump($fired);
?>
--EXPECT--
bool(false)
bool(false)
bool(false)
bool(false)
bool(true)
bool(false)
bool(false)
bool(false)
