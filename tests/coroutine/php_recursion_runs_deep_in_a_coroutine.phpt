--TEST--
Tide\Coroutine: userland recursion 50,000 levels deep works in a coroutine, also in several at once across sleeps (the PHP VM stack grows per coroutine)
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;

function depth(int $n): int
{
    return $n === 0 ? 0 : depth($n - 1) + 1;
}

Tide\run(function () {
    $f = function (int $n) use (&$f): int {
        return $n === 0 ? 0 : $f($n - 1) + 1;
    };
    var_dump($f(50000));
    $f = null; /* break the closure's cycle through its own reference */
    for ($i = 0; $i < 3; $i++) {
        Tide\go(function () use ($i) {
            /* suspend at the bottom of a deep stack, resume and unwind it */
            $down = function (int $n) use (&$down): int {
                if ($n === 0) {
                    Coroutine::sleep(0.01);
                    return 0;
                }
                return $down($n - 1) + 1;
            };
            $a = $down(50000);
            $down = null;
            $b = depth(50000);
            echo "coroutine $i: $a $b\n";
        });
    }
});
?>
--EXPECT--
int(50000)
coroutine 0: 50000 50000
coroutine 1: 50000 50000
coroutine 2: 50000 50000
