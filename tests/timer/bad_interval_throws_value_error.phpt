--TEST--
Tide\Timer::tick() and Tide\Timer::after() throw a ValueError naming $ms for a delay that is not positive
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Timer;

$cb = function () { echo "callback ran\n"; };
foreach ([fn () => Timer::tick(0, $cb), fn () => Timer::tick(-5, $cb), fn () => Timer::after(0, $cb),
          fn () => Timer::after(PHP_INT_MIN, $cb)] as $add) {
    try {
        $add();
        echo "no exception\n";
    } catch (ValueError $e) {
        echo $e->getMessage(), "\n";
    }
}
var_dump(iterator_count(Timer::list()));
?>
--EXPECT--
Tide\Timer::tick(): Argument #1 ($ms) must be greater than 0
Tide\Timer::tick(): Argument #1 ($ms) must be greater than 0
Tide\Timer::after(): Argument #1 ($ms) must be greater than 0
Tide\Timer::after(): Argument #1 ($ms) must be greater than 0
int(0)
