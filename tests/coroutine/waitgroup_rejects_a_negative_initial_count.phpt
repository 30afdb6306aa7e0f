--TEST--
new Tide\Coroutine\WaitGroup() with a negative initial count throws ValueError
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine\WaitGroup;

try {
    new WaitGroup(-1);
    echo "accepted\n";
} catch (ValueError $e) {
    echo get_class($e), ": ", $e->getMessage(), "\n";
}
var_dump((new WaitGroup(3))->count());
?>
--EXPECTF--
ValueError: Tide\Coroutine\WaitGroup::__construct(): Argument #1 ($delta) must be %s
int(3)
