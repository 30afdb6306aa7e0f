--TEST--
Tide\Coroutine: closures capturing by reference, static variables, references into arrays and try/finally behave in coroutines as in plain PHP, across suspensions
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;

function counter(): int
{
    static $n = 0;
    Coroutine::sleep(0.001);
    return ++$n;
}

Tide\run(function () {
    /* by-reference capture shared between coroutines */
    $total = 0;
    $log = [];
    for ($i = 1; $i <= 3; $i++) {
        Tide\go(function () use (&$total, &$log, $i) {
            Coroutine::sleep(0.001 * $i);
            $total += $i;
            $log[] = $i;
        });
    }
    /* a by-value capture keeps its own copy */
    $copy = $total;
    $byValue = function () use ($copy) { return $copy; };

    /* static variables are shared by all calls, from every coroutine */
    $wg = new Tide\Coroutine\WaitGroup(4);
    $got = [];
    for ($i = 0; $i < 4; $i++) {
        Tide\go(function () use ($wg, &$got) {
            $got[] = counter();
            $wg->done();
        });
    }
    $wg->wait();
    sort($got);
    echo "static: ", implode(',', $got), "\n";
    Coroutine::sleep(0.01);
    echo "total $total, log ", implode(',', $log), ", by value ", $byValue(), "\n";

    /* a reference into an array, written by another coroutine */
    $arr = ['x' => 1];
    $ref = &$arr['x'];
    Tide\go(function () use (&$ref) {
        Coroutine::sleep(0.001);
        $ref = 42;
    });
    Coroutine::sleep(0.01);
    var_dump($arr['x']);

    /* try/catch/finally around suspensions, with a return from finally's try */
    $f = function () {
        try {
            Coroutine::sleep(0.001);
            throw new RuntimeException('inner');
        } catch (RuntimeException $e) {
            Coroutine::sleep(0.001);
            return 'caught ' . $e->getMessage();
        } finally {
            Coroutine::sleep(0.001);
            echo "finally ran\n";
        }
    };
    echo $f(), "\n";
});
?>
--EXPECT--
static: 1,2,3,4
total 6, log 1,2,3, by value 0
int(42)
finally ran
caught inner
