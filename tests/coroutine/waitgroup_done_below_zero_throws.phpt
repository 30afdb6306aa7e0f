--TEST--
Tide\Coroutine\WaitGroup::done() called more often than add() throws an Error saying so, and leaves the counter at zero
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine\WaitGroup;

$wg = new WaitGroup();
$wg->add();
$wg->done();
try {
    $wg->done();
    echo "no exception\n";
} catch (Error $e) {
    echo get_class($e), ": ", $e->getMessage(), "\n";
}
var_dump($wg->count());
try {
    $wg->add(-1);
    echo "no exception\n";
} catch (Error $e) {
    echo get_class($e), "\n";
}
var_dump($wg->count());
?>
--EXPECTF--
Error: %sdone() was called more often than add()
int(0)
Error
int(0)
