--TEST--
Tide\Timer::after() calls its callback once, with the timer id first and then the extra params, no sooner than the delay
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
var_dump($calls[0][0] === $id);
var_dump(array_slice($calls[0], 1));
echo $elapsedMs >= 50 ? "waited at least 50 ms\n" : "fired early: $elapsedMs ms\n";
echo $elapsedMs < 250 ? "within 5x\n" : "too late: $elapsedMs ms\n";
var_dump(Timer::info($id), iterator_count(Timer::list()));
?>
--EXPECT--
bool(true)
bool(true)
calls: 1
bool(true)
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
