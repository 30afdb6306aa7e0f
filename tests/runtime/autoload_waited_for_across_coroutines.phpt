--TEST--
Class autoloading across coroutines: while one coroutine is suspended inside the autoloader for a class (a hooked usleep), others that need the same class wait for it and get the class (never "Class not found"), and the autoloader runs once; when the autoloader does not define the class, every coroutine gets the stock error and none hangs; an autoloader asking for its own class gets "not found" as in stock PHP
--FILE--
<?php
use function Tide\go;

$calls = [];
spl_autoload_register(function (string $class) use (&$calls) {
    $calls[$class] = ($calls[$class] ?? 0) + 1;
    usleep(100000); /* suspends this coroutine: the others run meanwhile */
    if ($class === 'Slow') {
        eval('class Slow { const WHO = "loaded"; }');
    } elseif ($class === 'Selfish') {
        echo "Selfish asked for inside its own autoloader: ", var_export(class_exists('Selfish'), true), "\n";
    }
});

$out = [];
$t = microtime(true);
Tide\run(function () use (&$out) {
    for ($i = 0; $i < 5; $i++) {
        go(function () use ($i, &$out) {
            try {
                $out[$i] = Slow::WHO;
            } catch (Error $e) {
                $out[$i] = $e->getMessage();
            }
        });
    }
});
ksort($out);
echo "5 coroutines need Slow: ", json_encode($out), ", the autoloader ran ", $calls['Slow'], " time(s), in about 0.1 s: ",
    var_export(microtime(true) - $t < 0.5, true), "\n";

$got = [];
Tide\run(function () use (&$got) {
    for ($i = 0; $i < 3; $i++) {
        go(function () use ($i, &$got) { $got[$i] = class_exists('Missing'); });
    }
});
ksort($got);
echo "3 coroutines ask for a class the autoloader does not define: ", json_encode($got), "\n";

Tide\run(function () {
    go(fn() => class_exists('Selfish'));
});
?>
--EXPECT--
5 coroutines need Slow: ["loaded","loaded","loaded","loaded","loaded"], the autoloader ran 1 time(s), in about 0.1 s: true
3 coroutines ask for a class the autoloader does not define: [false,false,false]
Selfish asked for inside its own autoloader: false
