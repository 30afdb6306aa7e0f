<?php
/*
 * Coroutines against PHP's own Fibers, side by side in the same run (bench/run runs it).
 *   php -d extension=tide -d memory_limit=-1 bench/coro.php [scale]
 * scale 1 = the issue's sizes (1,000,000 round trips / creations / messages).
 */
use Tide\Coroutine;
use Tide\Coroutine\Channel;

$scale = (float) ($argv[1] ?? 1);
$N = (int) (1000000 * $scale);

/*
 * Runs $n operations of $tide and $n of $base, interleaved in blocks of $n / 20 (which goes
 * first alternates), three times, and returns the medians of the two times and of the three
 * ratios, and the lowest and highest ratio. This VM's speed drifts by 20-50% within a
 * minute; blocks of a few milliseconds side by side see the same machine.
 */
function compare(callable $tide, callable $base, int $n): array
{
    $t = $b = $r = [];
    $block = max(1, intdiv($n, 20));
    for ($rep = 0; $rep < 3; $rep++) {
        gc_collect_cycles();
        $sum = ['tide' => 0, 'base' => 0];
        for ($i = 0; $i < 20; $i++) {
            foreach ($i % 2 ? ['tide', 'base'] : ['base', 'tide'] as $which) {
                $t0 = hrtime(true);
                $which === 'tide' ? $tide($block) : $base($block);
                $sum[$which] += (hrtime(true) - $t0) / 1e9;
            }
        }
        $t[] = $sum['tide'];
        $b[] = $sum['base'];
        $r[] = $sum['tide'] / $sum['base'];
    }
    sort($t);
    sort($b);
    sort($r);
    return [$t[1], $b[1], $r[1], $r[0], $r[2]];
}

function rss_kb(): int
{
    preg_match('/VmRSS:\s+(\d+)/', file_get_contents('/proc/self/status'), $m);
    return (int) $m[1];
}

$rows = [];

// A Fiber suspend/resume round trip, the yardstick of three rows.
$fiberRoundTrips = function (int $n) {
    $f = new Fiber(function () use ($n) { for ($i = 0; $i < $n; $i++) Fiber::suspend(); });
    $f->start();
    for ($i = 0; $i < $n; $i++) $f->resume();
};

// 1. switch: yield/resume ping-pong vs Fiber::suspend/resume (the same loops on both sides)
[$t, $b, $r, $lo, $hi] = compare(function (int $n) {
    Tide\run(function () use ($n) {
        $cid = Tide\go(function () use ($n) { for ($i = 0; $i < $n; $i++) Coroutine::yield(); });
        for ($i = 0; $i < $n; $i++) Coroutine::resume($cid);
    });
}, $fiberRoundTrips, $N);
$rows[] = ["switch round trip (yield + resume)", $t / $N, $b / $N, $r, $lo, $hi, 0.5];

// 1b. What a round trip costs before any switch: the same two loops, each making one
// Tide\Coroutine call that returns at once (exists($cid), getCid()) in place of
// resume()/yield(). A round trip cannot cost less than this plus two context switches.
[$t, $b, $r, $lo, $hi] = compare(function (int $n) {
    Tide\run(function () use ($n) {
        $cid = Tide\go(function () use ($n) {
            for ($i = 0; $i < $n; $i++) Coroutine::getCid();
            Coroutine::yield();
        });
        for ($i = 0; $i < $n; $i++) Coroutine::exists($cid);
        Coroutine::resume($cid);
    });
}, $fiberRoundTrips, $N);
$rows[] = ["floor: the same loops and calls without switching (exists + getCid)", $t / $N, $b / $N, $r, $lo, $hi, 0.5, "Fiber round trip"];

// 2. create + finish
// Each Fiber maps and unmaps a stack (about 10 µs): 1/5 of N keeps this row under 10 s.
$n2 = intdiv($N, 5);
[$t, $b, $r, $lo, $hi] = compare(function (int $n) {
    Tide\run(function () use ($n) {
        for ($i = 0; $i < $n; $i++) Tide\go(function () {});
    });
}, function (int $n) {
    for ($i = 0; $i < $n; $i++) { $f = new Fiber(function () {}); $f->start(); }
}, $n2);
$rows[] = ["create + finish", $t / $n2, $b / $n2, $r, $lo, $hi, 0.03];

// 3. spawn 10,000 sleepers vs 10,000 that return at once. Inside one Tide\run, as in a
// resident worker: the first round warms the stack pool (a busy loop keeps stacks warm;
// they are given back when the loop runs out of work), the next 7 are measured, each
// against the round of immediate ones that follows it.
$M = 10000;
$sleepers = $immediate = $ratios = [];
Tide\run(function () use ($M, &$sleepers, &$immediate, &$ratios) {
    for ($round = 0; $round < 8; $round++) {
        $t0 = hrtime(true);
        for ($i = 0; $i < $M; $i++) Tide\go(fn() => Coroutine::sleep(0.01));
        $ts = (hrtime(true) - $t0) / 1e9;
        Coroutine::sleep(0.03); // let them finish
        $t0 = hrtime(true);
        for ($i = 0; $i < $M; $i++) Tide\go(fn() => null);
        $ti = (hrtime(true) - $t0) / 1e9;
        if ($round) {
            $sleepers[] = $ts;
            $immediate[] = $ti;
            $ratios[] = $ts / $ti;
        }
    }
});
sort($sleepers);
sort($immediate);
sort($ratios);
$rows[] = ["spawn one that sleeps (10,000) vs one that returns at once", $sleepers[3] / $M, $immediate[3] / $M, $ratios[3], $ratios[0], $ratios[6], 2.0, "returns at once"];

// 4. channel ping-pong vs Fiber round trip
[$t, $b, $r, $lo, $hi] = compare(function (int $n) {
    Tide\run(function () use ($n) {
        $a = new Channel(1); $b = new Channel(1);
        Tide\go(function () use ($a, $b, $n) { for ($i = 0; $i < $n; $i++) $b->push($a->pop()); });
        for ($i = 0; $i < $n; $i++) { $a->push($i); $b->pop(); }
    });
}, $fiberRoundTrips, $N);
// Two hand-offs per message (one through each channel); the Fiber side is one round trip.
$rows[] = ["channel hand-off (push + pop through 2 channels, per message)", $t / $N / 2, $b / $N, $r / 2, $lo / 2, $hi / 2, 1.0, "Fiber round trip"];

printf("| what | Tide (ns) | Fiber (ns) | ratio (median of pairs) | range | target |\n");
printf("|---|---|---|---|---|---|\n");
foreach ($rows as $r) {
    printf("| %s | %.0f | %.0f%s | %.3f× | %.2f–%.2f× | ≤ %s× |\n", $r[0], $r[1] * 1e9, $r[2] * 1e9,
        isset($r[7]) ? " ({$r[7]})" : "", $r[3], $r[4], $r[5], $r[6]);
}

// 5. memory: RSS per live sleeping coroutine; RSS after 10 rounds
$base = rss_kb();
$live = 0;
$perCoro = 0;
Tide\run(function () use (&$perCoro, $base) {
    for ($i = 0; $i < 100000; $i++) Tide\go(fn() => Coroutine::sleep(0.05));
    $perCoro = (rss_kb() - $base) * 1024 / 100000;
});
$start = rss_kb();
for ($round = 0; $round < 10; $round++) {
    Tide\run(function () { for ($i = 0; $i < 100000; $i++) Tide\go(fn() => Coroutine::sleep(0.01)); });
}
gc_mem_caches();
$end = rss_kb();
printf("\n| memory | value |\n|---|---|\n");
printf("| RSS before any coroutine | %d KiB |\n", $base);
printf("| RSS per live sleeping coroutine (100,000 alive) | %.0f bytes |\n", $perCoro);
printf("| RSS after the first round of 100,000 | %d KiB |\n", $start);
printf("| RSS after 10 more rounds | %d KiB (%+d KiB) |\n", $end, $end - $start);
