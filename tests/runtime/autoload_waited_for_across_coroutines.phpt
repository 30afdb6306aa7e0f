--TEST--
Class autoloading across coroutines: while one coroutine is suspended inside the autoloader for a class (reading its source over a hooked socket that is written only once every coroutine asked for the class), others that need the same class wait for it and get the class (never "Class not found"), and the autoloader runs once; when the autoloader does not define the class, every coroutine gets the stock error and none hangs; an autoloader asking for its own class gets "not found" as in stock PHP
--FILE--
<?php
use function Tide\go;

$calls = [];
[$src, $feed] = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, STREAM_IPPROTO_IP);
spl_autoload_register(function (string $class) use (&$calls, $src) {
    $calls[$class] = ($calls[$class] ?? 0) + 1;
    /* Reads the class's source: suspends this coroutine until it is written. */
    $code = $class === 'Slow' ? fgets($src) : null;
    if ($class === 'Slow') {
        eval($code);
    } elseif ($class === 'Selfish') {
        echo "Selfish asked for inside its own autoloader: ", var_export(class_exists('Selfish'), true), "\n";
    }
});

$out = [];
Tide\run(function () use (&$out, $feed) {
    for ($i = 0; $i < 5; $i++) {
        go(function () use ($i, &$out) {
            try {
                $out[$i] = Slow::WHO;
            } catch (Error $e) {
                $out[$i] = $e->getMessage();
            }
        });
    }
    /* Every coroutine has asked for Slow by now (each ran until it suspended). */
    fwrite($feed, "class Slow { const WHO = 'loaded'; }\n");
});
ksort($out);
echo "5 coroutines need Slow: ", json_encode($out), ", the autoloader ran ", $calls['Slow'], " time(s)\n";

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
5 coroutines need Slow: ["loaded","loaded","loaded","loaded","loaded"], the autoloader ran 1 time(s)
3 coroutines ask for a class the autoloader does not define: [false,false,false]
Selfish asked for inside its own autoloader: false
