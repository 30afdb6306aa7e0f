--TEST--
Tide\Coroutine::sleep() with a negative (or NaN) duration throws ValueError
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;

Tide\run(function () {
    foreach ([-1, -0.001, NAN] as $s) {
        try {
            Coroutine::sleep($s);
            echo "no exception\n";
        } catch (ValueError $e) {
            echo get_class($e), ": ", $e->getMessage(), "\n";
        }
    }
});
?>
--EXPECTF--
ValueError: Tide\Coroutine::sleep(): Argument #1 ($seconds) must be %s
ValueError: Tide\Coroutine::sleep(): Argument #1 ($seconds) must be %s
ValueError: Tide\Coroutine::sleep(): Argument #1 ($seconds) must be %s
