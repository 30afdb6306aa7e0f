--TEST--
Tide\Coroutine: a PHP Fiber inside a coroutine suspends and resumes as usual, may Coroutine::sleep() inside the Fiber while other coroutines run their own Fibers
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;

Tide\run(function () {
    $wg = new Tide\Coroutine\WaitGroup();
    for ($k = 1; $k <= 3; $k++) {
        $wg->add();
        Tide\go(function () use ($k, $wg) {
            $cid = Coroutine::getCid();
            $fiber = new Fiber(function (int $x) use ($k, $cid): int {
                $y = Fiber::suspend($x * 2);
                Coroutine::sleep(0.01 * (4 - $k));   /* the coroutine sleeps with the Fiber in it */
                if (Coroutine::getCid() !== $cid) {
                    echo "fiber $k woke in the wrong coroutine\n";
                }
                $z = Fiber::suspend($y + 1);
                return $z * 10;
            });
            $a = $fiber->start($k);
            $b = $fiber->resume($a + 100);
            echo "coroutine $k: fiber gave $a then $b\n";
            $fiber->resume(7);
            echo "coroutine $k: fiber returned ", $fiber->getReturn(), ", terminated: ",
                var_export($fiber->isTerminated(), true), "\n";
            $wg->done();
        });
    }
    echo "three fibers are sleeping\n";
    $wg->wait();

    /* A Fiber suspended in one coroutine, resumed from another. */
    $fiber = new Fiber(function () {
        $v = Fiber::suspend('first');
        Coroutine::sleep(0.001);
        return "got $v";
    });
    echo $fiber->start(), "\n";
    Tide\go(function () use ($fiber) {
        $fiber->resume('from another coroutine');
        echo $fiber->getReturn(), "\n";
    });

    /* An exception thrown in a Fiber after a sleep reaches the coroutine. */
    try {
        (new Fiber(function () {
            Coroutine::sleep(0.001);
            throw new RuntimeException('from the fiber');
        }))->start();
    } catch (RuntimeException $e) {
        echo "caught ", $e->getMessage(), "\n";
    }
});
?>
--EXPECT--
three fibers are sleeping
coroutine 3: fiber gave 6 then 107
coroutine 3: fiber returned 70, terminated: true
coroutine 2: fiber gave 4 then 105
coroutine 2: fiber returned 70, terminated: true
coroutine 1: fiber gave 2 then 103
coroutine 1: fiber returned 70, terminated: true
first
got from another coroutine
caught from the fiber
