--TEST--
Tide\run() and Tide\Event::wait() throw in a coroutine made by go() outside the loop, instead of running a loop on its stack
--EXTENSIONS--
tide
--FILE--
<?php
Tide\go(function () {
    try {
        Tide\run(function () { echo "inner fn ran\n"; });
    } catch (Tide\Exception $e) {
        echo get_class($e), ": ", $e->getMessage(), "\n";
    }
    try {
        Tide\Event::wait();
    } catch (Tide\Exception $e) {
        echo get_class($e), ": ", $e->getMessage(), "\n";
    }
});
?>
--EXPECT--
Tide\Exception: Tide\run() cannot be called from a coroutine
Tide\Exception: Tide\Event::wait() cannot be called from a coroutine
