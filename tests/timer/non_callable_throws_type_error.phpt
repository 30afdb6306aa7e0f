--TEST--
Tide\Timer::tick() and Tide\Timer::after() throw a TypeError naming $callback for a value that is not callable
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Timer;

foreach ([fn () => Timer::tick(10, 'no_such_function'), fn () => Timer::after(10, [new stdClass, 'nope']),
          fn () => Timer::after(10, [1, 2]), fn () => Timer::tick(10, ['a', 'b', 'c']),
          fn () => Timer::after(10, 'NoSuchClass::method'), fn () => Timer::after(10, 42)] as $add) {
    try {
        $add();
        echo "no exception\n";
    } catch (TypeError $e) {
        echo $e->getMessage(), "\n";
    }
}
var_dump(iterator_count(Timer::list()));
?>
--EXPECT--
Tide\Timer::tick(): Argument #2 ($callback) must be a valid callback, function "no_such_function" not found or invalid function name
Tide\Timer::after(): Argument #2 ($callback) must be a valid callback, class stdClass does not have a method "nope"
Tide\Timer::after(): Argument #2 ($callback) must be a valid callback, first array member is not a valid class name or object
Tide\Timer::tick(): Argument #2 ($callback) must be a valid callback, array callback must have exactly two members
Tide\Timer::after(): Argument #2 ($callback) must be a valid callback, class "NoSuchClass" not found
Tide\Timer::after(): Argument #2 ($callback) must be a valid callback, no array or string given
int(0)
