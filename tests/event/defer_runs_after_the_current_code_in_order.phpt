--TEST--
Tide\Event::defer() runs its callbacks after the code that deferred them, in the order deferred, at the end of the loop turn; one deferred from a deferred callback runs on the next turn
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Event;
Tide\run(function () {
    $done = new Tide\Coroutine\Channel(1);
    Event::defer(function () use ($done) {
        echo "defer 1\n";
        Event::defer(function () use ($done) {
            print("defer 3 (from defer 1)\n");
            $done->push(true);              // no timer: the order cannot depend on the load
        });
    });
    Event::defer(fn() => print("defer 2\n"));
    echo "after defer()\n";
    $done->pop();
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
