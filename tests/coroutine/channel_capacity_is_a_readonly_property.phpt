--TEST--
Tide\Coroutine\Channel::$capacity is the capacity given to the constructor (1 by default) and cannot be written
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine\Channel;

$ch = new Channel(5);
var_dump($ch->capacity);
var_dump((new Channel())->capacity);
var_dump($ch->errCode);
try {
    $ch->capacity = 10;
} catch (Error $e) {
    echo get_class($e), ": ", $e->getMessage(), "\n";
}
var_dump($ch->capacity);
try {
    $ch->nonexistent = 1;
} catch (Error $e) {
    echo get_class($e), "\n";
}
?>
--EXPECT--
int(5)
int(1)
int(0)
Error: Cannot modify readonly property Tide\Coroutine\Channel::$capacity
int(5)
Error
