--TEST--
Tide\Coroutine::sleep() in a destructor (here run by unset()) throws Tide\Exception on PHP < 8.4, which forbids stack switches in every destructor, and the coroutine goes on
--EXTENSIONS--
tide
--SKIPIF--
<?php if (PHP_VERSION_ID >= 80400) die("skip PHP 8.4 allows stack switches in destructors (suspending_in_a_destructor_suspends_on_php_8_4.phpt)"); ?>
--FILE--
<?php
use Tide\Coroutine;

class Conn
{
    public function __destruct()
    {
        echo "closing\n";
        try {
            Coroutine::sleep(0.01);
            echo "slept in the destructor\n";
        } catch (Tide\Exception $e) {
            echo get_class($e), ": ", $e->getMessage(), "\n";
        }
    }
}

Tide\run(function () {
    Tide\go(function () {
        $c = new Conn;
        unset($c);
        echo "after unset\n";
    });
    echo "back in the creator\n";
});
?>
--EXPECT--
closing
Tide\Exception: Tide\Coroutine::sleep() cannot suspend the coroutine here: PHP forbids stack switches in destructors, tick functions and pcntl signal handlers
after unset
back in the creator
