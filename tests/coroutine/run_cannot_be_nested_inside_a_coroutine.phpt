--TEST--
Tide\run() called from a coroutine it started (directly or a nested one) throws a catchable Tide\Exception, and the outer run goes on
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;

var_dump(Tide\run(function () {
    try {
        Tide\run(function () { echo "inner fn ran\n"; });
    } catch (Tide\Exception $e) {
        echo "fn: ", get_class($e), "\n";
    }
    Tide\go(function () {
        Coroutine::sleep(0.01);
        try {
            Tide\run(function () { echo "inner fn ran\n"; });
        } catch (Tide\Exception $e) {
            echo "nested coroutine: ", get_class($e), "\n";
        }
    });
    echo "outer fn goes on\n";
}));
?>
--EXPECT--
fn: Tide\Exception
outer fn goes on
nested coroutine: Tide\Exception
bool(true)
