--TEST--
Tide\Timer timers made outside Tide\run() fire after the script's last line, as with Swoole's Event::wait() at shutdown
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Timer;

$start = hrtime(true);
Timer::after(300, function (string $what) use ($start) {
    $ms = (hrtime(true) - $start) / 1e6;
    echo "after fired ($what), ", $ms >= 300 ? "on time" : "early: $ms ms", "\n";
    Timer::after(10, function () {
        echo "after made by a callback fired\n";
    });
}, 'one-shot');
Timer::tick(10, function (int $id) {
    static $n = 0;
    echo "tick ", ++$n, "\n";
    if ($n === 2) {
        Timer::clear($id);
    }
});
/* Tide's wait was registered with the first timer, so it runs before this one. */
register_shutdown_function(function () {
    echo "shutdown function registered by the script\n";
});
echo "last line\n";
?>
--EXPECT--
last line
tick 1
tick 2
after fired (one-shot), on time
after made by a callback fired
shutdown function registered by the script
