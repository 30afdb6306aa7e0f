--TEST--
new Tide\Coroutine\Channel() with a capacity of 0 or less throws ValueError
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine\Channel;

foreach ([0, -1, PHP_INT_MIN] as $cap) {
    try {
        new Channel($cap);
        echo "$cap accepted\n";
    } catch (ValueError $e) {
        echo get_class($e), ": ", $e->getMessage(), "\n";
    }
}
?>
--EXPECTF--
ValueError: Tide\Coroutine\Channel::__construct(): Argument #1 ($capacity) must be %s
ValueError: Tide\Coroutine\Channel::__construct(): Argument #1 ($capacity) must be %s
ValueError: Tide\Coroutine\Channel::__construct(): Argument #1 ($capacity) must be %s
