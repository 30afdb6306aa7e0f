<?php
/*
 * Runtime hooks (issue 12): 1,000 coroutines that each sleep 0.1 s, with
 * Tide\Coroutine::sleep(0.1) and with PHP's own usleep(100000) under HOOK_SLEEP.
 *   php -d extension=modules/tide.so bench/hooks_sleep.php
 * Both should take about 0.1 s of wall time; medians of 5 runs, with the CPU time the
 * process used per run.
 */
function run_once(callable $sleep): array
{
    $ru = getrusage();
    $t = microtime(true);
    Tide\run(function () use ($sleep) {
        for ($i = 0; $i < 1000; $i++) {
            Tide\go($sleep);
        }
    });
    $wall = microtime(true) - $t;
    $ru2 = getrusage();
    $cpu = ($ru2['ru_utime.tv_sec'] - $ru['ru_utime.tv_sec']) + ($ru2['ru_utime.tv_usec'] - $ru['ru_utime.tv_usec']) / 1e6
         + ($ru2['ru_stime.tv_sec'] - $ru['ru_stime.tv_sec']) + ($ru2['ru_stime.tv_usec'] - $ru['ru_stime.tv_usec']) / 1e6;
    return [$wall, $cpu];
}

function median(array $v): float
{
    sort($v);
    return $v[intdiv(count($v), 2)];
}

$rows = ['Tide\Coroutine::sleep(0.1)' => fn() => Tide\Coroutine::sleep(0.1),
         'usleep(100000), hooked' => fn() => usleep(100000)];
printf("| 1,000 coroutines each | wall time (s) | CPU time (s) |\n|---|---|---|\n");
foreach ($rows as $what => $fn) {
    run_once($fn); /* warm-up: stacks */
    $wall = $cpu = [];
    for ($i = 0; $i < 5; $i++) {
        [$w, $c] = run_once($fn);
        $wall[] = $w;
        $cpu[] = $c;
    }
    printf("| %s | %.3f | %.3f |\n", $what, median($wall), median($cpu));
}
