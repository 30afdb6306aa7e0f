--TEST--
Tide\Coroutine::getCid() and getPcid() give the running coroutine's id and its creator's (-1 for the main context, false for an unknown id)
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;

var_dump(Coroutine::getCid());
Tide\run(function () {
    $root = Coroutine::getCid();
    var_dump($root >= 1);
    var_dump(Coroutine::getPcid());          /* made by the main context */
    $child = Tide\go(function () use ($root) {
        $me = Coroutine::getCid();
        var_dump($me !== $root, Coroutine::getPcid() === $root);
        $grandchild = Tide\go(function () use ($me) {
            var_dump(Coroutine::getPcid() === $me);
            Coroutine::sleep(0.02);
        });
        /* getPcid($cid) of another live coroutine */
        var_dump(Coroutine::getPcid($grandchild) === $me);
        Coroutine::sleep(0.01);
    });
    var_dump(Coroutine::getPcid($child) === $root);
    var_dump(Coroutine::getPcid(987654));
});
var_dump(Coroutine::getCid());
?>
--EXPECT--
int(-1)
bool(true)
int(-1)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(false)
int(-1)
