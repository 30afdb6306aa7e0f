<?php
/*
 * Coroutines against PHP's own Fibers, in the same run, medians of 3 (bench/run runs it).
 *   php -d extension=tide -d memory_limit=-1 bench/coro.php [scale]
 * scale 1 = the issue's sizes (1,000,000 round trips / creations / messages).
 */
use Tide\Coroutine;
use Tide\Coroutine\Channel;

$scale = (float) ($argv[1] ?? 1);
$N = (int) (1000000 * $scale);

function median(callable $fn): float
{
    $t = [];
    for ($i = 0; $i < 3; $i++) {
        gc_collect_cycles();
        $t0 = hrtime(true);
        $fn();
        $t[] = (hrtime(true) - $t0) / 1e9;
    }
    sort($t);
    return $t[1];
}

function rss_kb(): int
{
    preg_match('/VmRSS:\s+(\d+)/', file_get_contents('/proc/self/status'), $m);
    return (int) $m[1];
}

$rows = [];

// 1. switch: yield/resume ping-pong vs Fiber::suspend/resume (the same loops on both sides)
$fiber = median(function () use ($N) {
    $f = new Fiber(function () use ($N) { for ($i = 0; $i < $N; $i++) Fiber::suspend(); });
    $f->start();
    for ($i = 0; $i < $N; $i++) $f->resume();
});
$coro = median(function () use ($N) {
    Tide\run(function () use ($N) {
        $cid = Tide\go(function () use ($N) { for ($i = 0; $i < $N; $i++) Coroutine::yield(); });
        for ($i = 0; $i < $N; $i++) Coroutine::resume($cid);
    });
});
$rows[] = ["switch round trip (yield + resume)", $coro / $N, $fiber / $N, 0.5];

// 1b. What a round trip costs before any switch: the same two loops, each making one
// Tide\Coroutine call that returns at once (exists($cid), getCid()) in place of
// resume()/yield(). A round trip cannot cost less than this plus two context switches.
$floor = median(function () use ($N) {
    Tide\run(function () use ($N) {
        $cid = Tide\go(function () use ($N) {
            for ($i = 0; $i < $N; $i++) Coroutine::getCid();
            Coroutine::yield();
        });
        for ($i = 0; $i < $N; $i++) Coroutine::exists($cid);
        Coroutine::resume($cid);
    });
});
$rows[] = ["floor: the same loops and calls without switching (exists + getCid)", $floor / $N, $fiber / $N, 0.5, "Fiber round trip"];

// 2. create + finish
$fiber2 = median(function () use ($N) {
    for ($i = 0; $i < $N; $i++) { $f = new Fiber(function () {}); $f->start(); }
});
$coro2 = median(function () use ($N) {
    Tide\run(function () use ($N) {
        for ($i = 0; $i < $N; $i++) Tide\go(function () {});
    });
});
$rows[] = ["create + finish", $coro2 / $N, $fiber2 / $N, 0.03];

// 3. spawn 10,000 sleepers vs 10,000 that return at once. Inside one Tide\run, as in a
// resident worker: the first round warms the stack pool (a busy loop keeps stacks warm;
// they are given back when the loop runs out of work), the next 3 are measured.
$M = 10000;
$sleepers = $immediate = [];
Tide\run(function () use ($M, &$sleepers, &$immediate) {
    for ($round = 0; $round < 4; $round++) {
        $t0 = hrtime(true);
        for ($i = 0; $i < $M; $i++) Tide\go(fn() => Coroutine::sleep(0.01));
        $t = (hrtime(true) - $t0) / 1e9;
        if ($round) $sleepers[] = $t;
        Coroutine::sleep(0.03); // let them finish
        $t0 = hrtime(true);
        for ($i = 0; $i < $M; $i++) Tide\go(fn() => null);
        $t = (hrtime(true) - $t0) / 1e9;
        if ($round) $immediate[] = $t;
    }
});
sort($sleepers);
sort($immediate);
$rows[] = ["spawn one that sleeps (10,000) vs one that returns at once", $sleepers[1] / $M, $immediate[1] / $M, 2.0, "returns at once"];

// 4. channel ping-pong vs Fiber round trip
$chan = median(function () use ($N) {
    Tide\run(function () use ($N) {
        $a = new Channel(1); $b = new Channel(1);
        Tide\go(function () use ($a, $b, $N) { for ($i = 0; $i < $N; $i++) $b->push($a->pop()); });
        for ($i = 0; $i < $N; $i++) { $a->push($i); $b->pop(); }
    });
});
$rows[] = ["channel hand-off (push + pop through 2 channels, per message)", $chan / $N / 2, $fiber / $N, 1.0, "Fiber round trip"];

printf("| what | Tide (ns) | Fiber (ns) | ratio | target |\n|---|---|---|---|---|\n");
foreach ($rows as $r) {
    printf("| %s | %.0f | %.0f%s | %.3f× | ≤ %s× |\n", $r[0], $r[1] * 1e9, $r[2] * 1e9,
        isset($r[4]) ? " ({$r[4]})" : "", $r[1] / $r[2], $r[3]);
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
