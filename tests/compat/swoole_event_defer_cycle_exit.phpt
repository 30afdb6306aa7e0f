--TEST--
tide.swoole_compat=On: Swoole\Event::defer, cycle and exit as Swoole's tests use them (defer before the timers, cycle each turn until removed, exit from a tick)
--INI--
tide.swoole_compat=On
--FILE--
<?php
Swoole\Event::defer(function () {
    echo "defer [1]\n";
});
Swoole\Timer::after(20, function () {
    echo "timer [1]\n";
    Swoole\Timer::after(20, function () {
        echo "timer [2]\n";
    });
    Swoole\Event::defer(function () {
        echo "defer [2]\n";
    });
});
Swoole\Event::wait();

$n = 0;
var_dump(Swoole\Event::cycle(null));
swoole_event_cycle(function () use (&$n) {
    $n++;
    if ($n == 3) {
        Swoole\Event::cycle(null);
    }
});
Swoole\Timer::after(10, function () {
    Swoole\Timer::after(10, function () {});
});
Swoole\Timer::after(40, function () {});
Swoole\Event::wait();
var_dump($n);

Swoole\Timer::tick(1, function () {
    echo "tick\n";
    Swoole\Event::exit();
});
Swoole\Event::wait();

Co\run(function () {
    Swoole\Event::defer(fn() => print("defer in Co\\run\n"));
    echo "before defer runs\n";
});
swoole_event_dispatch();
echo "end\n";
?>
--EXPECT--
defer [1]
timer [1]
defer [2]
timer [2]
bool(false)
int(3)
tick
before defer runs
defer in Co\run
end
