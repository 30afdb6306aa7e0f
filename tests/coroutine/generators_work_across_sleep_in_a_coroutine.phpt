--TEST--
Tide\Coroutine: generators work inside coroutines, also when the generator body sleeps, when two coroutines drive generators at the same time, and when another coroutine resumes one
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;

function slow_counter(string $name, int $n, float $pause): Generator
{
    for ($i = 1; $i <= $n; $i++) {
        Coroutine::sleep($pause);
        $sent = yield "$name$i";
        if ($sent !== null) {
            echo "$name got $sent\n";
        }
    }
    return "$name done";
}

Tide\run(function () {
    $wg = new Tide\Coroutine\WaitGroup(2);
    $seen = ['a' => [], 'b' => []];
    Tide\go(function () use ($wg, &$seen) {
        $g = slow_counter('a', 3, 0.01);
        foreach ($g as $v) {
            $seen['a'][] = $v;
        }
        $seen['a'][] = $g->getReturn();
        $wg->done();
    });
    Tide\go(function () use ($wg, &$seen) {
        $g = slow_counter('b', 3, 0.01);
        $seen['b'][] = $g->current();
        $seen['b'][] = $g->send('x');
        $seen['b'][] = $g->send('y');
        $g->next();
        $seen['b'][] = $g->getReturn();
        $wg->done();
    });
    echo "both generators are sleeping\n";
    $wg->wait();
    echo implode(' ', $seen['a']), "\n", implode(' ', $seen['b']), "\n";

    /* yield from, and a generator started in one coroutine, continued in another */
    $outer = (function () {
        yield 1;
        yield from slow_counter('c', 2, 0.001);
        yield 4;
    })();
    echo "c start ", $outer->current(), "\n";
    Tide\go(function () use ($outer) {
        Coroutine::sleep(0.01);
        for ($outer->next(); $outer->valid(); $outer->next()) {
            echo "c continued: ", $outer->current(), "\n";
        }
    });
});
?>
--EXPECT--
both generators are sleeping
b got x
b got y
a1 a2 a3 a done
b1 b2 b3 b done
c start 1
c continued: c1
c continued: c2
c continued: 4
