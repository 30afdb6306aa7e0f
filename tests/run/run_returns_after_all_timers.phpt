--TEST--
Tide\run() passes its extra arguments to $fn and returns true once no timer is pending
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Timer;

$log = [];
$start = hrtime(true);
$r = Tide\run(function (string $a, int $b, array $c, ...$rest) use (&$log) {
    $log[] = "fn($a, $b, " . json_encode($c) . ', ' . count($rest) . ' more)';
    Timer::after(100, function () use (&$log) {
        $log[] = 'after 100';
        /* A timer made by a callback keeps the loop going too. */
        Timer::after(50, function () use (&$log) { $log[] = 'after 100+50'; });
    });
    Timer::tick(20, function (int $id) use (&$log) {
        static $n = 0;
        if (++$n === 3) {
            $log[] = 'tick cleared';
            Timer::clear($id);
        }
    });
    $log[] = 'fn returns';
}, 'x', 7, ['k' => 1], 'extra1', 'extra2');
$elapsedMs = (hrtime(true) - $start) / 1e6;

var_dump($r);
echo implode("\n", $log), "\n";
echo $elapsedMs >= 150 ? "returned after the last timer\n" : "returned too early: $elapsedMs ms\n";
echo $elapsedMs < 750 ? "within 5x\n" : "too slow: $elapsedMs ms\n";
var_dump(iterator_count(Timer::list()));

/* Nothing to wait for: returns at once. */
var_dump(Tide\run(fn () => null));
/* A plain function name as $fn, with an argument. */
var_dump(Tide\run('printf', "printf ran\n"));
?>
--EXPECT--
bool(true)
fn(x, 7, {"k":1}, 2 more)
fn returns
tick cleared
after 100
after 100+50
returned after the last timer
within 5x
int(0)
bool(true)
printf ran
bool(true)
