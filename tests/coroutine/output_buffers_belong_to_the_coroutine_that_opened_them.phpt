--TEST--
Output buffers opened with ob_start() in a coroutine are its own across suspensions, buffers opened outside any coroutine are shared, and a buffer a coroutine leaves open is flushed to the level below when it ends
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;

ob_start(); // outside any coroutine: everyone writes into it
Tide\run(function () {
    $results = [];
    $wg = new Coroutine\WaitGroup();
    foreach (['a', 'b', 'c'] as $i => $name) {
        $wg->add();
        Tide\go(function () use ($name, $i, &$results, $wg) {
            ob_start();
            echo "$name-1 ";
            Coroutine::sleep(0.001 * (3 - $i)); // the others write meanwhile
            ob_start();
            echo "$name-inner";
            $inner = ob_get_clean();
            echo "$name-2";
            $results[$name] = ob_get_clean() . " ($inner, level " . ob_get_level() . ")";
            $wg->done();
        });
    }
    $wg->add();
    Tide\go(function () use ($wg) {
        ob_start();
        echo "[left open by d]";
        Coroutine::sleep(0.001);
        $wg->done();
    });
    echo "[main coroutine]";
    $wg->wait();
    ksort($results);
    foreach ($results as $k => $v) {
        echo "[$k: $v]";
    }
});
$all = ob_get_clean();
echo $all, "\n";
var_dump(ob_get_level());
?>
--EXPECT--
[main coroutine][left open by d][a: a-1 a-2 (a-inner, level 1)][b: b-1 b-2 (b-inner, level 1)][c: c-1 c-2 (c-inner, level 1)]
int(0)
