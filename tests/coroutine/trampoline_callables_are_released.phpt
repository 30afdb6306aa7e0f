--TEST--
Tide\go(), Tide\Coroutine::create() and Tide\run() release the __call/__callStatic trampoline they were given (no leak)
--EXTENSIONS--
tide
--FILE--
<?php
class M {
    function __call($n, $a) { echo "__call $n\n"; }
    static function __callStatic($n, $a) { echo "__callStatic $n\n"; }
}
$m = new M;
Tide\go([$m, 'foo']);
Tide\Coroutine::create([$m, 'bar'], 1);
Tide\go('M::baz');
Tide\run([$m, 'qux']);
?>
--EXPECT--
__call foo
__call bar
__callStatic baz
__call qux
