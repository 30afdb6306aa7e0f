--TEST--
An uncaught exception from a Tide\Timer callback ends the script with PHP's usual fatal error
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Timer;

Tide\run(function () {
    Timer::after(10, function () {
        throw new Exception('from the timer');
    });
    Timer::after(50, function () {
        echo "later timer ran\n";
    });
});
echo "not reached\n";
?>
--EXPECTF--
Fatal error: Uncaught Exception: from the timer in %s:%d
Stack trace:
#0 [internal function]: {closure%S}()
#1 {main}
  thrown in %s on line %d
