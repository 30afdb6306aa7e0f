--TEST--
Tide\Coroutine::sleep() and Channel::pop() in a tick function throw Tide\Exception instead of suspending (PHP forbids stack switches there, for Fibers too), and the coroutine goes on
--EXTENSIONS--
tide
--FILE--
<?php
declare(ticks=1);

use Tide\Coroutine;
use Tide\Coroutine\Channel;

Tide\run(function () {
    $ch = new Channel(1);
    $once = false;
    $tick = function () use ($ch, &$once) {
        if ($once) {
            return;
        }
        $once = true;
        foreach ([fn() => Coroutine::sleep(0.001), fn() => $ch->pop(1)] as $suspend) {
            try {
                $suspend();
                echo "suspended in a tick function\n";
            } catch (Tide\Exception $e) {
                echo get_class($e), ": ", $e->getMessage(), "\n";
            }
        }
    };
    register_tick_function($tick);
    $x = 1;
    unregister_tick_function($tick);
    Coroutine::sleep(0.001);
    echo "done\n";
});
?>
--EXPECTF--
Tide\Exception: Tide\Coroutine::sleep() cannot suspend the coroutine here: PHP forbids stack switches in %Stick functions and pcntl signal handlers
Tide\Exception: Tide\Coroutine\Channel::pop() cannot suspend the coroutine here: PHP forbids stack switches in %Stick functions and pcntl signal handlers
done
