--TEST--
Tide\Coroutine::getContext() returns the same ArrayObject within a coroutine, a different one in another, another coroutine's by id, and null outside any
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;

var_dump(Coroutine::getContext());
Tide\run(function () {
    $ctx = Coroutine::getContext();
    var_dump($ctx instanceof ArrayObject, count($ctx));
    $ctx['user'] = 'alice';
    Coroutine::sleep(0.001);
    var_dump(Coroutine::getContext() === $ctx, Coroutine::getContext()['user']);
    var_dump(Coroutine::getContext(Coroutine::getCid()) === $ctx);

    $parent = Coroutine::getCid();
    $child = Tide\go(function () use ($ctx, $parent) {
        $mine = Coroutine::getContext();
        var_dump($mine !== $ctx, isset($mine['user']));
        $mine['user'] = 'bob';
        /* the parent's, by id */
        var_dump(Coroutine::getContext($parent)['user']);
        Coroutine::sleep(0.01);
        var_dump($mine['user']);
    });
    var_dump(Coroutine::getContext($child)['user']);
    var_dump($ctx['user']);
    var_dump(Coroutine::getContext(987654));
});
var_dump(Coroutine::getContext());
?>
--EXPECT--
NULL
bool(true)
int(0)
bool(true)
string(5) "alice"
bool(true)
bool(true)
bool(false)
string(5) "alice"
string(3) "bob"
string(5) "alice"
NULL
string(3) "bob"
NULL
