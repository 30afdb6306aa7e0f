--TEST--
Tide\Timer::after() calls its callback once, with only the extra params (no timer id, as in Swoole), no sooner than the delay; a tick() callback gets its timer id first, then the params
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Timer;

$calls = [];
$id = null;
$start = null;
$elapsedMs = null;

var_dump(Tide\run(function () use (&$calls, &$id, &$start, &$elapsedMs) {
    $start = hrtime(true);
    $id = Timer::after(50, function (...$args) use (&$calls, &$elapsedMs, $start) {
        $elapsedMs ??= (hrtime(true) - $start) / 1e6;
        $calls[] = $args;
    }, 'a', 42, ['k' => 'v']);
}));

var_dump(is_int($id) && $id > 0);
echo "calls: ", count($calls), "\n";
var_dump($calls[0]);
echo $elapsedMs >= 50 ? "waited at least 50 ms\n" : "fired early: $elapsedMs ms\n";
echo $elapsedMs < 250 ? "within 5x\n" : "too late: $elapsedMs ms\n";
var_dump(Timer::info($id), iterator_count(Timer::list()));

/* tick(): the id first, then the params. */
Tide\run(function () {
    $tick = Timer::tick(5, function (...$args) use (&$tick) {
        var_dump($args === [$tick, 'p', 7]);
        Timer::clear($tick);
    }, 'p', 7);
    /* after() with no params: no arguments at all. */
    Timer::after(1, function (...$args) { echo "after without params got ", count($args), " arguments\n"; });
});
?>
--EXPECT--
bool(true)
bool(true)
calls: 1
array(3) {
  [0]=>
  string(1) "a"
  [1]=>
  int(42)
  [2]=>
  array(1) {
    ["k"]=>
    string(1) "v"
  }
}
waited at least 50 ms
within 5x
NULL
int(0)
after without params got 0 arguments
bool(true)
