--TEST--
An exception thrown by a destructor when a finished coroutine's closure is freed belongs to that coroutine, not to the next coroutine the scheduler resumes
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;

class D {
    function __destruct() { throw new Exception("from A's destructor"); }
}
try {
    Tide\run(function () {
        $d = new D;
        Tide\go(function () use ($d) { Coroutine::sleep(0.01); echo "A ends\n"; });
        unset($d);
        Tide\go(function () {
            try {
                Coroutine::sleep(0.01);
                echo "B slept fine\n";
            } catch (Exception $e) {
                echo "B's sleep() threw: ", $e->getMessage(), "\n";
            }
        });
    });
} catch (Exception $e) {
    echo "run threw: ", $e->getMessage(), "\n";
}
?>
--EXPECT--
A ends
run threw: from A's destructor
