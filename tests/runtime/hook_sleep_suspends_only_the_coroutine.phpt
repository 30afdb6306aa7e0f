--TEST--
Runtime hooks, HOOK_SLEEP: sleep, usleep, time_nanosleep and time_sleep_until inside a coroutine suspend only that coroutine (1,000 concurrent usleep(100000) take about 0.1 s); outside a coroutine, or with the hook off, they block as stock PHP; bad arguments give stock PHP's errors word for word; a canceled coroutine returns early as a signal would make the stock call return
--FILE--
<?php
use Tide\Coroutine;
use Tide\Runtime;
use function Tide\go;

function elapsed(callable $fn): float
{
    $t = microtime(true);
    Tide\run($fn);
    return microtime(true) - $t;
}

function err(callable $fn): string
{
    try {
        $r = $fn();
        return 'returned ' . var_export($r, true);
    } catch (Throwable $e) {
        return get_class($e) . ': ' . $e->getMessage();
    }
}

echo "default flags are HOOK_ALL: ", var_export(Runtime::getHookFlags() === Tide\HOOK_ALL, true), "\n";
echo "HOOK_SLEEP is in HOOK_ALL: ", var_export((Tide\HOOK_ALL & Tide\HOOK_SLEEP) !== 0, true), "\n";

$t = elapsed(function () {
    for ($i = 0; $i < 1000; $i++) {
        go(fn() => usleep(100000));
    }
});
echo "1000 concurrent usleep(100000): ", $t >= 0.1 && $t < 0.5 ? 'about 0.1 s' : "$t s", "\n";

$r = [];
$t = elapsed(function () use (&$r) {
    for ($i = 0; $i < 3; $i++) {
        go(function () use (&$r) { $r[] = sleep(1); });
    }
    for ($i = 0; $i < 10; $i++) {
        go(function () use (&$r) { $r[] = time_nanosleep(0, 100000000); });
        go(function () use (&$r) { $r[] = time_sleep_until(microtime(true) + 0.1); });
    }
});
echo "3 sleep(1), 10 time_nanosleep(0, 1e8), 10 time_sleep_until(+0.1) at once: ",
    $t >= 1 && $t < 1.9 ? 'about 1 s' : "$t s", ', results ', json_encode(array_count_values(array_map('json_encode', $r))), "\n";

/* Outside a coroutine: stock PHP (it blocks). */
$t = microtime(true);
$u = usleep(50000);
echo "outside a coroutine usleep(50000) blocks: ", var_export(microtime(true) - $t >= 0.05, true), ", returns ", var_export($u, true), "\n";

/* Bad arguments: the same errors inside a coroutine as outside. */
$cases = [
    'sleep(-1)' => fn() => sleep(-1),
    'usleep(-1)' => fn() => usleep(-1),
    'time_nanosleep(-1, 0)' => fn() => time_nanosleep(-1, 0),
    'time_nanosleep(0, -1)' => fn() => time_nanosleep(0, -1),
    'time_nanosleep(0, 1000000000)' => fn() => time_nanosleep(0, 1000000000),
    'time_sleep_until(1)' => fn() => time_sleep_until(1),
    'sleep("x")' => fn() => sleep("x"),
];
foreach ($cases as $what => $fn) {
    $outside = err($fn);
    $inside = null;
    Tide\run(function () use ($fn, &$inside) { $inside = err($fn); });
    echo "$what: ", $inside === $outside ? "same as stock: $inside" : "DIFFERS: '$inside' vs '$outside'", "\n";
}

/* Canceled while asleep. */
$got = [];
$t = elapsed(function () use (&$got) {
    $ids = [
        'sleep(5)' => go(function () use (&$got) { $got['sleep(5)'] = sleep(5); }),
        'usleep(5000000)' => go(function () use (&$got) { $got['usleep(5000000)'] = usleep(5000000); }),
        'time_nanosleep(2, 0)' => go(function () use (&$got) { $got['time_nanosleep(2, 0)'] = time_nanosleep(2, 0); }),
        'time_sleep_until(+5)' => go(function () use (&$got) { $got['time_sleep_until(+5)'] = time_sleep_until(microtime(true) + 5); }),
    ];
    Coroutine::sleep(0.05);
    foreach ($ids as $id) {
        Coroutine::cancel($id);
    }
});
echo "canceled after 0.05 s: back at once: ", var_export($t < 1, true), "\n";
foreach ($got as $what => $v) {
    if (is_array($v)) {
        $v = 'array(seconds ' . $v['seconds'] . ', nanoseconds ' . ($v['nanoseconds'] > 9e8 ? 'over 9e8' : $v['nanoseconds']) . ')';
    }
    echo "  $what returned ", is_string($v) ? $v : var_export($v, true), "\n";
}

/* The hook off: blocking again, inside coroutines too. */
foreach (['setHookFlags(0)' => 0, 'HOOK_ALL without HOOK_SLEEP' => Tide\HOOK_ALL & ~Tide\HOOK_SLEEP] as $what => $flags) {
    Runtime::setHookFlags($flags);
    $t = elapsed(function () {
        go(fn() => usleep(100000));
        go(fn() => usleep(100000));
    });
    echo "$what: two usleep(100000) take ", $t >= 0.2 ? 'their sum' : "$t s", ", flags ", Runtime::getHookFlags() === $flags ? 'as set' : 'WRONG', "\n";
}
Runtime::enableCoroutine();
echo "enableCoroutine() turns all on: ", var_export(Runtime::getHookFlags() === Tide\HOOK_ALL, true), "\n";
echo err(fn() => Runtime::enableCoroutine(1 << 20)), "\n";
echo err(fn() => Runtime::setHookFlags(-1)), "\n";
echo err(fn() => Coroutine::set(['hook_flags' => 1 << 30])), "\n";
Coroutine::set(['hook_flags' => Tide\HOOK_SLEEP]);
echo "Coroutine::set(['hook_flags' => HOOK_SLEEP]): ", var_export(Runtime::getHookFlags() === Tide\HOOK_SLEEP, true), "\n";
?>
--EXPECTF--
default flags are HOOK_ALL: true
HOOK_SLEEP is in HOOK_ALL: true
1000 concurrent usleep(100000): about 0.1 s
3 sleep(1), 10 time_nanosleep(0, 1e8), 10 time_sleep_until(+0.1) at once: about 1 s, results {"true":20,"0":3}
outside a coroutine usleep(50000) blocks: true, returns NULL
sleep(-1): same as stock: ValueError: sleep(): Argument #1 ($seconds) must be greater than or equal to 0
usleep(-1): same as stock: ValueError: usleep(): Argument #1 ($microseconds) must be greater than or equal to 0
time_nanosleep(-1, 0): same as stock: ValueError: time_nanosleep(): Argument #1 ($seconds) must be greater than or equal to 0
time_nanosleep(0, -1): same as stock: ValueError: time_nanosleep(): Argument #2 ($nanoseconds) must be greater than or equal to 0
time_nanosleep(0, 1000000000): same as stock: ValueError: Nanoseconds was not in the range 0 to 999 999 999 or seconds was negative

Warning: time_sleep_until(): Argument #1 ($timestamp) must be greater than or equal to the current time in %s on line %d

Warning: time_sleep_until(): Argument #1 ($timestamp) must be greater than or equal to the current time in %s on line %d
time_sleep_until(1): same as stock: returned false
sleep("x"): same as stock: TypeError: sleep(): Argument #1 ($seconds) must be of type int, string given
canceled after 0.05 s: back at once: true
  sleep(5) returned 5
  usleep(5000000) returned NULL
  time_nanosleep(2, 0) returned array(seconds 1, nanoseconds over 9e8)
  time_sleep_until(+5) returned false
setHookFlags(0): two usleep(100000) take their sum, flags as set
HOOK_ALL without HOOK_SLEEP: two usleep(100000) take their sum, flags as set
enableCoroutine() turns all on: true
ValueError: Tide\Runtime::enableCoroutine(): Argument #1 ($flags) must be a set of Tide\HOOK_* flags (0 for none, Tide\HOOK_ALL for all), 1048576 has others
ValueError: Tide\Runtime::setHookFlags(): Argument #1 ($flags) must be a set of Tide\HOOK_* flags (0 for none, Tide\HOOK_ALL for all), -1 has others
ValueError: Tide\Coroutine::set(): Argument #1 ($options) option "hook_flags" must be a set of Tide\HOOK_* flags (0 for none, Tide\HOOK_ALL for all), 1073741824 has others
Coroutine::set(['hook_flags' => HOOK_SLEEP]): true
