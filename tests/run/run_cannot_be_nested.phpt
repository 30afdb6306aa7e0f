--TEST--
Tide\run() called while Tide\run() runs, from $fn or from a timer callback, throws a catchable Tide\Exception saying it cannot be nested
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Timer;

$inner = function () {
    echo "inner fn ran\n";
};

var_dump(Tide\run(function () use ($inner) {
    try {
        Tide\run($inner);
        echo "no exception from fn\n";
    } catch (Tide\Exception $e) {
        echo get_class($e), ": ", $e->getMessage(), "\n";
    }
    Timer::after(10, function () use ($inner) {
        try {
            Tide\run($inner);
            echo "no exception from a timer\n";
        } catch (Tide\Exception $e) {
            echo "from a timer: ", $e->getMessage(), "\n";
        }
    });
}));
/* Not running any more: allowed again. */
var_dump(Tide\run($inner));
?>
--EXPECT--
Tide\Exception: Tide\run() cannot be called while the event loop runs (from inside Tide\run() or Tide\Event::wait())
from a timer: Tide\run() cannot be called while the event loop runs (from inside Tide\run() or Tide\Event::wait())
bool(true)
inner fn ran
bool(true)
