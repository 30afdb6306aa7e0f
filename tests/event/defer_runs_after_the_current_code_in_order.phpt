--TEST--
Tide\Event::defer() runs its callbacks after the code that deferred them, in the order deferred, at the end of the loop turn; one deferred from a deferred callback runs on the next turn
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Event;
Tide\run(function () {
    Event::defer(function () {
        echo "defer 1\n";
        Event::defer(fn() => print("defer 3 (from defer 1)\n"));
    });
    Event::defer(fn() => print("defer 2\n"));
    echo "after defer()\n";
    Tide\Coroutine::sleep(0.001);
    echo "coroutine again\n";
});
Event::defer(fn() => print("outside run: at the next loop\n"));
echo "end of script\n";
?>
--EXPECT--
after defer()
defer 1
defer 2
defer 3 (from defer 1)
coroutine again
end of script
outside run: at the next loop
