--TEST--
Tide\run() lets an exception thrown by $fn propagate, runs no timer after it, and can be called again
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Timer;

try {
    Tide\run(function () {
        throw new DomainException('from fn');
    });
    echo "not reached\n";
} catch (DomainException $e) {
    echo get_class($e), ": ", $e->getMessage(), "\n";
}

/* A TypeError from calling $fn with the wrong arguments propagates the same way. */
try {
    Tide\run(function (int $n) {}, 'not a number');
} catch (TypeError $e) {
    echo "TypeError caught\n";
}

var_dump(Tide\run(function () {
    Timer::after(10, function () {
        echo "timer ran\n";
    });
}));
?>
--EXPECT--
DomainException: from fn
TypeError caught
timer ran
bool(true)
