--TEST--
Tide\Coroutine: unbounded recursion in a coroutine (through an internal callback) throws PHP's catchable "Maximum call stack size" Error sized to the coroutine's own C stack, before its guard page; the coroutine and the main context go on
--EXTENSIONS--
tide
--SKIPIF--
<?php if (PHP_VERSION_ID < 80300) die("skip PHP < 8.3 does not check the C stack (zend.max_allowed_stack_size came in 8.3)"); ?>
--FILE--
<?php
use Tide\Coroutine;

function recurse_until_error(): string
{
    $f = function (int $n) use (&$f): int {
        return array_map($f, [$n + 1])[0];
    };
    try {
        $f(0);
        return "no error";
    } catch (Error $e) {
        if (!preg_match('/^Maximum call stack size of (\d+) bytes .* reached\. Infinite recursion\?$/', $e->getMessage(), $m)) {
            return get_class($e) . ": " . $e->getMessage();
        }
        return get_class($e) . " at " . $m[1] . " bytes";
    }
}

Tide\run(function () {
    foreach ([262144, 65536, 16384] as $size) {
        Coroutine::set(['stack_size' => $size]);
        Tide\go(function () use ($size) {
            Coroutine::sleep(0.001); // recurse after a switch back into the coroutine
            $what = recurse_until_error();
            /* The limit is the coroutine's stack less a reserve, not the main stack's. */
            if (preg_match('/^Error at (\d+) bytes$/', $what, $m) && $m[1] > 0 && $m[1] <= $size + 4096) {
                $what = "Error within its own stack";
            }
            echo "stack_size $size: $what\n";
            Coroutine::sleep(0.001);
            echo "stack_size $size: still running\n";
        });
    }
});
/* Back in the main context, the limit is the main stack's again. */
echo "main: ", preg_match('/^Error at (\d+) bytes$/', recurse_until_error(), $m) && $m[1] > 1 << 20
    ? "Error at the main stack's limit" : "wrong limit", "\n";
?>
--EXPECT--
stack_size 262144: Error within its own stack
stack_size 65536: Error within its own stack
stack_size 16384: Error within its own stack
stack_size 262144: still running
stack_size 65536: still running
stack_size 16384: still running
main: Error at the main stack's limit
