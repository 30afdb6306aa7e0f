--TEST--
Tide\Coroutine\Channel: a coroutine still waiting on a channel when the script dies is dropped without leaving its waiter in the channel
--EXTENSIONS--
tide
--FILE--
<?php
$ch = new Tide\Coroutine\Channel(1);
$ch->push("x");
Tide\go(function () use ($ch) { $ch->push("y"); }); // waits: full
throw new Exception("the script dies");
?>
--EXPECTF--
Fatal error: Uncaught Exception: the script dies in %s:%d
Stack trace:
#0 {main}
  thrown in %s on line %d
