--TEST--
Tide\Coroutine::create() and Tide\go() run the new coroutine at once until it first suspends, then return its id to the creator
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;

Tide\run(function () {
    echo "A: before create\n";
    $id = Coroutine::create(function (string $who) {
        echo "B: started by $who, cid ", Coroutine::getCid(), "\n";
        Coroutine::sleep(0.01);
        echo "B: resumed\n";
    }, 'A');
    echo "A: create returned "; var_dump($id);
    var_dump($id > Coroutine::getCid());

    $id2 = Tide\go(function () {
        echo "C: runs to its end without suspending\n";
    });
    echo "A: go returned "; var_dump($id2);
    var_dump($id2 === $id + 1, Coroutine::exists($id2));
    echo "A: done\n";
});
?>
--EXPECTF--
A: before create
B: started by A, cid %d
A: create returned int(%d)
bool(true)
C: runs to its end without suspending
A: go returned int(%d)
bool(true)
bool(false)
A: done
B: resumed
