--TEST--
Tide\Coroutine::sleep() in a destructor (run by unset() or at the coroutine's end) suspends the coroutine on PHP >= 8.4, which allows stack switches in destructors, while other coroutines run
--EXTENSIONS--
tide
--SKIPIF--
<?php if (PHP_VERSION_ID < 80400) die("skip PHP < 8.4 forbids stack switches in destructors (suspending_in_a_destructor_throws_before_php_8_4.phpt)"); ?>
--FILE--
<?php
use Tide\Coroutine;

class Conn
{
    public function __construct(public string $name) {}
    public function __destruct()
    {
        echo "{$this->name}: closing\n";
        Coroutine::sleep(0.01);
        echo "{$this->name}: closed\n";
    }
}

Tide\run(function () {
    Tide\go(function () {
        $c = new Conn("unset");
        unset($c);
        echo "unset: after unset\n";
    });
    Tide\go(function () {
        $c = new Conn("local");
        echo "local: returning\n";
    });
    echo "back in the creator\n";
});
echo "run returned\n";
?>
--EXPECT--
unset: closing
local: returning
local: closing
back in the creator
unset: closed
unset: after unset
local: closed
run returned
