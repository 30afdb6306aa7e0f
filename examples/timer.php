<?php
/*
 * The Quick start demo (until the HTTP server lands): a resident loop with timers.
 * Prints which reactor backend runs it, ticks every second, and shows Timer::info().
 *   php -d extension=tide examples/timer.php [seconds]   (0 or nothing: until Ctrl-C)
 */
$seconds = (int) ($argv[1] ?? 0);

Tide\run(function () use ($seconds) {
    $started = hrtime(true);
    ob_start();
    (new ReflectionExtension('tide'))->info();
    preg_match('/Reactor backend => (.*)/', ob_get_clean(), $m);
    printf("Tide %s, reactor backend: %s\n", Tide\VERSION, $m[1] ?? '?');

    $tick = Tide\Timer::tick(1000, function (int $id) use ($started) {
        $info = Tide\Timer::info($id);
        printf("tick #%d after %.3f s (next in %d ms)\n",
            $info['exec_count'], (hrtime(true) - $started) / 1e9, $info['exec_msec']);
    });

    if ($seconds > 0) {
        Tide\Timer::after($seconds * 1000, function () use ($tick) {
            Tide\Timer::clear($tick);
            echo "done\n";
        });
    }
});
