--TEST--
Tide\Coroutine::cancel() returns false for the running coroutine, an unknown or ended id, a coroutine suspended by yield() and outside any loop
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;

var_dump(Coroutine::cancel(1));
Tide\run(function () {
    var_dump(Coroutine::cancel(Coroutine::getCid()));
    var_dump(Coroutine::cancel(987654));
    var_dump(Coroutine::cancel(0), Coroutine::cancel(-1));
    $ended = Tide\go(function () {});
    var_dump(Coroutine::cancel($ended));
    /* A coroutine that is running because it resumed us (its creator chain): not waiting. */
    $parent = Coroutine::getCid();
    Tide\go(function () use ($parent) {
        var_dump(Coroutine::cancel($parent));
    });
    $yielded = Tide\go(function () {
        Coroutine::yield();
        echo "yielded one resumed normally\n";
    });
    var_dump(Coroutine::cancel($yielded));
    Coroutine::resume($yielded);
});
?>
--EXPECT--
bool(false)
bool(false)
bool(false)
bool(false)
bool(false)
bool(false)
bool(false)
bool(false)
yielded one resumed normally
