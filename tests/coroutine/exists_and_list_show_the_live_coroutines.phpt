--TEST--
Tide\Coroutine::exists() and list() report exactly the live coroutines: list() is an Iterator of their ids
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;

var_dump(Coroutine::exists(1));
var_dump(iterator_to_array(Coroutine::list()));
Tide\run(function () {
    $me = Coroutine::getCid();
    $hold = new Coroutine\Channel(1);
    $a = Tide\go(function () { Coroutine::sleep(0.02); });
    $b = Tide\go(function () use ($hold) { $hold->pop(); }); /* alive until released */
    $c = Tide\go(function () { /* ends at once */ });
    $list = Coroutine::list();
    var_dump($list instanceof Iterator);
    $ids = iterator_to_array($list, false);
    sort($ids);
    var_dump($ids === [$me, $a, $b]);
    var_dump(Coroutine::exists($me), Coroutine::exists($a), Coroutine::exists($b), Coroutine::exists($c));
    var_dump(Coroutine::exists(0), Coroutine::exists(-1), Coroutine::exists(123456));
    Coroutine::sleep(0.03);
    var_dump(Coroutine::exists($a), Coroutine::exists($b));
    $ids = iterator_to_array(Coroutine::list(), false);
    sort($ids);
    var_dump($ids === [$me, $b]);
    $hold->push(true);
});
var_dump(iterator_count(Coroutine::list()));
?>
--EXPECT--
bool(false)
array(0) {
}
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(false)
bool(false)
bool(false)
bool(false)
bool(false)
bool(true)
bool(true)
int(0)
