--TEST--
Tide\Coroutine::defer() callbacks run when the coroutine ends by an exception, which still propagates out of Tide\run()
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;

try {
    Tide\run(function () {
        Tide\go(function () {
            Coroutine::defer(function () { echo "defer 1\n"; });
            Coroutine::defer(function () { echo "defer 2\n"; });
            Coroutine::sleep(0.01);
            throw new DomainException('from the coroutine');
        });
    });
    echo "not reached\n";
} catch (DomainException $e) {
    echo "caught: ", $e->getMessage(), "\n";
}
?>
--EXPECT--
defer 2
defer 1
caught: from the coroutine
