--TEST--
Tide\Timer::info() describes a pending timer (id, exec_msec, exec_count, interval, removed) and Tide\Timer::list() iterates over the pending ids
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Timer;

var_dump(Timer::info(123456), Timer::info(0), Timer::info(-1));
$list = Timer::list();
var_dump($list instanceof Iterator, iterator_to_array($list));

Tide\run(function () {
    $tick = Timer::tick(1000, function () {});
    $after = Timer::after(500, function () {});

    $info = Timer::info($tick);
    var_dump(array_keys($info));
    var_dump($info['id'] === $tick, $info['interval'], $info['exec_count'], $info['removed']);
    var_dump($info['exec_msec'] > 900 && $info['exec_msec'] <= 1000);

    $info = Timer::info($after);
    var_dump($info['id'] === $after, $info['interval'], $info['exec_count'], $info['removed']);
    var_dump($info['exec_msec'] > 400 && $info['exec_msec'] <= 500);

    $list = Timer::list();
    var_dump($list instanceof Iterator);
    $ids = iterator_to_array($list, false);
    sort($ids);
    var_dump($ids === [$tick, $after]);

    Timer::clear($after);
    var_dump(Timer::info($after), iterator_to_array(Timer::list(), false) === [$tick]);
    Timer::clear($tick);
    var_dump(iterator_count(Timer::list()));
});
?>
--EXPECT--
NULL
NULL
NULL
bool(true)
array(0) {
}
array(5) {
  [0]=>
  string(2) "id"
  [1]=>
  string(9) "exec_msec"
  [2]=>
  string(10) "exec_count"
  [3]=>
  string(8) "interval"
  [4]=>
  string(7) "removed"
}
bool(true)
int(1000)
int(0)
bool(false)
bool(true)
bool(true)
int(0)
int(0)
bool(false)
bool(true)
bool(true)
bool(true)
NULL
bool(true)
int(0)
