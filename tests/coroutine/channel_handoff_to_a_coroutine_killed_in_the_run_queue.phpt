--TEST--
Tide\Coroutine\Channel: an item handed to a waiting producer's or consumer's coroutine stays handed when that coroutine is killed before it runs again (no double free, no leak)
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;
use Tide\Coroutine\Channel;

foreach (['producer', 'consumer'] as $who) {
    try {
        Tide\run(function () use ($who) {
            $ch = new Channel(1);
            Coroutine::sleep(0.001);
            if ($who === 'producer') {
                $ch->push(str_repeat("a", 10));
                Tide\go(function () use ($ch) { $ch->push(str_repeat("b", 10)); });
                $ch->pop(); // the producer's item moves into the buffer
            } else {
                Tide\go(function () use ($ch) { $ch->pop(); });
                $ch->push(str_repeat("c", 10)); // handed to the consumer
            }
            throw new Exception("$who: boom"); // kills the woken coroutine before it runs
        });
    } catch (Exception $e) {
        echo $e->getMessage(), "\n";
    }
}
?>
--EXPECT--
producer: boom
consumer: boom
