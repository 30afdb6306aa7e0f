--TEST--
Tide\Timer::tick() repeats until its callback clears it on the third run; clear() returns true and info() counts the runs
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Timer;

$runs = 0;
$counts = [];
$cleared = null;
$id = null;

$start = hrtime(true);
Tide\run(function () use (&$runs, &$counts, &$cleared, &$id) {
    $id = Timer::tick(20, function (int $timerId, string $tag) use (&$runs, &$counts, &$cleared, &$id) {
        $runs++;
        $counts[] = Timer::info($timerId)['exec_count'];
        if ($timerId !== $id || $tag !== 'x') {
            echo "wrong arguments: $timerId, $tag\n";
        }
        if ($runs === 3) {
            $cleared = Timer::clear($timerId);
            var_dump(Timer::info($timerId), in_array($timerId, iterator_to_array(Timer::list()), true));
        }
    }, 'x');
});
$elapsedMs = (hrtime(true) - $start) / 1e6;

echo "runs: $runs\n";
echo "exec_count seen in the callback: ", implode(', ', $counts), "\n";
var_dump($cleared);
echo $elapsedMs >= 60 ? "three intervals passed\n" : "too fast: $elapsedMs ms\n";
echo $elapsedMs < 300 ? "within 5x\n" : "too slow: $elapsedMs ms\n";
var_dump(Timer::clear($id), Timer::info($id));
?>
--EXPECT--
NULL
bool(false)
runs: 3
exec_count seen in the callback: 1, 2, 3
bool(true)
three intervals passed
within 5x
bool(false)
NULL
