--TEST--
Tide\go() outside Tide\run(): when the script then dies of an uncaught exception, a coroutine left suspended is unwound at shutdown (its finally block runs, as for a suspended Fiber) but no timer or new work runs
--EXTENSIONS--
tide
--FILE--
<?php
Tide\go(function () {
    try {
        Tide\Coroutine::yield();
        echo "not resumed\n";
    } finally {
        echo "finally of the suspended coroutine\n";
    }
});
Tide\Timer::after(1, function () { echo "timer must not run\n"; });
throw new RuntimeException("the script dies");
?>
--EXPECTF--
Fatal error: Uncaught RuntimeException: the script dies in %s:%d
Stack trace:
#0 {main}
  thrown in %s on line %d
finally of the suspended coroutine
