<?php
/*
 * Timer heap under PHP: schedule N one-shot timers with random delays (1..100 ms) inside
 * Tide\run and let them all fire; report the time to schedule, the wall time to drain and
 * the memory/RSS afterwards, medians of 3 rounds.
 *   php -d extension=tide bench/timers.php [N]
 */
$n = (int) ($argv[1] ?? 100000);

function rss_kb(): int
{
    preg_match('/VmRSS:\s+(\d+)/', file_get_contents('/proc/self/status'), $m);
    return (int) $m[1];
}

$rows = [];
for ($round = 0; $round < 3; $round++) {
    mt_srand($round);
    $fired = 0;
    $t0 = hrtime(true);
    $scheduled = 0.0;
    Tide\run(function () use ($n, &$fired, &$scheduled, $t0) {
        $cb = function () use (&$fired) { $fired++; };
        for ($i = 0; $i < $n; $i++) {
            Tide\Timer::after(mt_rand(1, 100), $cb);
        }
        $scheduled = (hrtime(true) - $t0) / 1e6;
    });
    $total = (hrtime(true) - $t0) / 1e6;
    assert($fired === $n);
    $rows[] = [$scheduled, $total, rss_kb()];
}
sort($rows);
$median = fn(int $col) => (function () use ($rows, $col) { $c = array_column($rows, $col); sort($c); return $c[1]; })();
printf("| timers | schedule (ms) | schedule per timer (ns) | schedule + fire all (ms) | RSS after (KiB) |\n|---|---|---|---|---|\n");
printf("| %d | %.1f | %.0f | %.1f | %d |\n", $n, $median(0), $median(0) * 1e6 / $n, $median(1), $median(2));
