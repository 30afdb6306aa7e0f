--TEST--
Tide\Event::exit() stops the loop after the current turn: Event::wait() and Tide\run() return although a timer and a watch were pending (they are cleared, as Swoole does)
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Event;
[$a, $b] = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, 0);
Event::add($a, fn($s) => print("never\n"));
Tide\Timer::after(60000, fn() => print("never either\n"));
Tide\Timer::after(1, function () {
    echo "exit\n";
    Event::exit();
    echo "after exit()\n";
});
Event::wait();
var_dump(Event::isset($a), count(iterator_to_array(Tide\Timer::list())));
var_dump(Tide\run(function () {
    Tide\Timer::after(60000, fn() => print("never\n"));
    Tide\go(function () { Tide\Coroutine::sleep(60); echo "never\n"; });
    Event::defer(fn() => Event::exit());
}));
echo "done\n";
?>
--EXPECT--
exit
after exit()
bool(false)
int(0)
bool(true)
done
