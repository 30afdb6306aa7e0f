--TEST--
Tide\Timer::after() with 100,000 timers: each fires once, in deadline order, never early, and rounds of them leave neither RSS nor PHP memory grown
--EXTENSIONS--
tide
--SKIPIF--
<?php
if (!is_readable('/proc/self/status')) die('skip /proc/self/status is needed to read VmRSS');
if (getenv('USE_ZEND_ALLOC') === '0') die('skip memory_get_usage() needs the Zend memory manager (USE_ZEND_ALLOC=0)');
?>
--ENV--
MALLOC_MMAP_THRESHOLD_=131072
MALLOC_TRIM_THRESHOLD_=131072
--FILE--
<?php
use Tide\Timer;

const N = 100000;
const TOLERANCE_NS = 200000; /* 0.2 ms */

function rss_kb(): int
{
    preg_match('/^VmRSS:\s+(\d+) kB/m', file_get_contents('/proc/self/status'), $m);
    return (int) $m[1];
}

/*
 * One round. A timer's deadline lies between (hrtime before after()) + ms and
 * (hrtime after after()) + ms: the extension reads the clock in between. Checking against
 * that window keeps the test exact even when the scheduler preempts us mid-call.
 */
function round_of_timers(int $round): array
{
    mt_srand(20240 + $round);
    $lo = [];     /* index => earliest possible deadline, ns */
    $hi = [];     /* index => latest possible deadline, ns */
    $firedAt = [];
    $order = [];
    $cb = function (int $i) use (&$firedAt, &$order) {
        $firedAt[$i] = hrtime(true);
        $order[] = $i;
    };
    Tide\run(function () use (&$lo, &$hi, $cb) {
        for ($i = 0; $i < N; $i++) {
            $ms = mt_rand(1, 200);
            $before = hrtime(true);
            Timer::after($ms, $cb, $i);
            $after = hrtime(true);
            $lo[$i] = $before + $ms * 1000000;
            $hi[$i] = $after + $ms * 1000000;
        }
    });

    $problems = [];
    if (count($order) !== N || count($firedAt) !== N) {
        $problems[] = sprintf('%d callbacks for %d distinct timers, %d expected', count($order), count($firedAt), N);
    }
    $maxLo = 0;
    $misordered = $early = 0;
    foreach ($order as $i) {
        if ($hi[$i] + TOLERANCE_NS < $maxLo) {
            $misordered++;
        }
        $maxLo = max($maxLo, $lo[$i]);
        if ($firedAt[$i] + TOLERANCE_NS < $lo[$i]) {
            $early++;
        }
    }
    if ($misordered) {
        $problems[] = "$misordered timers fired after a timer with a later deadline";
    }
    if ($early) {
        $problems[] = "$early timers fired before their deadline";
    }
    if (iterator_count(Timer::list()) !== 0) {
        $problems[] = 'Timer::list() is not empty after the round';
    }
    return $problems;
}

$memBefore = memory_get_usage();
$rss = [];
$start = hrtime(true);
/*
 * RSS is read once freed memory has gone back to the system: gc_mem_caches() for PHP's
 * allocator, and --ENV-- pins glibc's mmap and trim thresholds (by default glibc raises both
 * when the first large block is freed, and then keeps up to 8 MB it does not use).
 * Round 0 warms up: the first burst sets the allocators' high-water marks. From round 1 on,
 * RSS must stay flat: a leak of 10 bytes per timer adds 2 MB by round 3.
 */
for ($round = 0; $round <= 3; $round++) {
    $problems = round_of_timers($round);
    echo "round $round: ", $problems ? implode('; ', $problems) : 'OK', "\n";
    gc_collect_cycles();
    gc_mem_caches();
    $rss[$round] = rss_kb();
}
$seconds = (hrtime(true) - $start) / 1e9;

$rssGrowth = $rss[3] - $rss[1];
echo $rssGrowth <= 2048 ? "RSS OK\n" : "RSS grew by $rssGrowth kB from round 1 to round 3 (" . implode(', ', $rss) . " kB)\n";
$memGrowth = memory_get_usage() - $memBefore;
echo abs($memGrowth) <= 65536 ? "memory_get_usage OK\n" : "memory_get_usage is $memGrowth bytes above its value before the first round\n";
echo $seconds < 15 ? "time OK\n" : "took $seconds s\n";
?>
--EXPECT--
round 0: OK
round 1: OK
round 2: OK
round 3: OK
RSS OK
memory_get_usage OK
time OK
