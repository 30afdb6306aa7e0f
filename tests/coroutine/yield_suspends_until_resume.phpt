--TEST--
Tide\Coroutine::yield() (and its alias suspend()) suspends the coroutine until another one calls Tide\Coroutine::resume(), which runs it at once
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;

Tide\run(function () {
    $id = Tide\go(function () {
        echo "B: yielding\n";
        var_dump(Coroutine::yield());
        echo "B: resumed once, suspending\n";
        var_dump(Coroutine::suspend());
        echo "B: resumed twice, ends\n";
    });
    echo "A: B yielded\n";
    Coroutine::sleep(0.01);
    echo "A: B still waits\n";
    var_dump(Coroutine::resume($id));
    echo "A: B suspended again\n";
    var_dump(Coroutine::resume($id));
    echo "A: B ended\n";
    var_dump(Coroutine::exists($id));
});

/* Resumed from another coroutine than its creator, and from a timer callback. */
Tide\run(function () {
    $id = Tide\go(function () {
        Coroutine::yield();
        echo "resumed by C\n";
        Coroutine::yield();
        echo "resumed by the timer callback\n";
    });
    Tide\go(function () use ($id) {
        Coroutine::sleep(0.01);
        Coroutine::resume($id);
        echo "C goes on\n";
    });
    Tide\Timer::after(30, function () use ($id) {
        Coroutine::resume($id);
    });
});
?>
--EXPECT--
B: yielding
A: B yielded
A: B still waits
bool(true)
B: resumed once, suspending
bool(true)
A: B suspended again
bool(true)
B: resumed twice, ends
bool(true)
A: B ended
bool(false)
resumed by C
C goes on
resumed by the timer callback
