--TEST--
tide.swoole_compat=On, written as a Swoole user writes it: a push to a channel a coroutine waits on runs that coroutine at once (Swoole's order), and so does a pop that lets a waiting push in; Channel::pop(0) and push(x, 0) wait as in Swoole (0 is no timeout); an exception in the woken coroutine ends the pusher too; Swoole's warnings-and-false: Timer::after(0), an unknown Co::set() option and an unknown Server::set() key are warnings, not exceptions; Server::getCallback(); Server::set() takes Coroutine options and sizes such as '4M'
--INI--
tide.swoole_compat=On
--FILE--
<?php
var_dump(Swoole\Timer::after(0, function () {}));
Co::set(['no_such_option' => 1]);
$server = new Swoole\Server('127.0.0.1', 0, SWOOLE_BASE);
$server->on('Receive', $onReceive = function ($s, $fd, $rid, $data) {});
var_dump($server->getCallback('receive') === $onReceive, $server->getCallback('connect'));
var_dump($server->set(['worker_num' => 1, 'package_max_length' => '4M', 'buffer_output_size' => '32M',
                       'enable_deadlock_check' => false, 'c_stack_size' => '512K', 'no_such_key' => 1]));
var_dump($server->setting['package_max_length'], Co::getOptions()['c_stack_size']);
try { $server->getCallback('nonsense'); } catch (ValueError $e) { echo get_class($e), "\n"; }
Co\run(function () {
    $ch = new Swoole\Coroutine\Channel(1);
    go(function () use ($ch) {
        echo "consumer waits\n";
        $v = $ch->pop();
        echo "consumer got $v\n";
        $v = $ch->pop();
        echo "consumer got $v\n";
    });
    echo "producer pushes 1\n";
    $ch->push(1);
    echo "producer pushed 1\n";
    $ch->push(2);
    echo "producer pushed 2\n";

    $full = new Swoole\Coroutine\Channel(1);
    $full->push('a');
    go(function () use ($full) { echo "producer b waits\n"; $full->push('b'); echo "producer b in\n"; });
    $v = $full->pop();
    echo "popped $v\n";
    $v = $full->pop();
    echo "popped $v\n";

    $late = new Swoole\Coroutine\Channel(1);
    go(function () use ($late) { Co::sleep(0.02); $late->push('late'); });
    var_dump($late->pop(0));                       // waits: 0 is "no timeout" in Swoole
    $room = new Swoole\Coroutine\Channel(1);
    $room->push(1);
    go(function () use ($room) { Co::sleep(0.02); $room->pop(); });
    var_dump($room->push(2, 0));                    // waits for room
    var_dump($room->pop(0.01), $room->pop(0.01), $room->errCode === SWOOLE_CHANNEL_TIMEOUT);

    $boom = new Swoole\Coroutine\Channel(1);
    go(function () use ($boom) { $boom->pop(); throw new RuntimeException('boom'); });
    try {
        $boom->push(1);
        echo "not reached\n";
    } finally {
        echo "pusher unwinds\n";
    }
});
?>
--EXPECTF--
Warning: Swoole\Timer::after(): Timer must be greater than or equal to 1 in %s on line %d
bool(false)

Warning: Swoole\Coroutine::set(): Unknown option "no_such_option" ignored in %s on line %d
bool(true)
NULL

Warning: Swoole\Server::set(): Unknown setting 'no_such_key' ignored in %s on line %d
bool(true)
string(2) "4M"
string(4) "512K"
ValueError
consumer waits
producer pushes 1
consumer got 1
producer pushed 1
consumer got 2
producer pushed 2
producer b waits
producer b in
popped a
popped b
string(4) "late"
bool(true)
int(2)
bool(false)
bool(true)
pusher unwinds

Fatal error: Uncaught RuntimeException: boom in %s:%d
%A
