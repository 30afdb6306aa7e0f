--TEST--
Tide\Coroutine\Channel::close() wakes every waiting popper and pusher with false and errCode -2; a second close() returns false
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;
use Tide\Coroutine\Channel;

Tide\run(function () {
    $empty = new Channel(2);
    for ($i = 1; $i <= 3; $i++) {
        Tide\go(function () use ($empty, $i) {
            $v = $empty->pop();
            echo "popper $i: ", var_export($v, true), " errCode ", $empty->errCode, "\n";
        });
    }
    $full = new Channel(1);
    $full->push('kept');
    for ($i = 1; $i <= 2; $i++) {
        Tide\go(function () use ($full, $i) {
            $r = $full->push("from pusher $i", 10);
            echo "pusher $i: ", var_export($r, true), " errCode ", $full->errCode, "\n";
        });
    }
    var_dump($empty->stats()['consumer_num'], $full->stats()['producer_num']);
    echo "closing\n";
    var_dump($empty->close(), $full->close());
    var_dump($empty->close(), $full->close());
    Coroutine::sleep(0.01);
    var_dump($empty->stats()['consumer_num'], $full->stats()['producer_num']);
    var_dump($full->length(), $full->pop(), $full->pop(), $full->errCode);
});
?>
--EXPECT--
int(3)
int(2)
closing
bool(true)
bool(true)
bool(false)
bool(false)
popper 1: false errCode -2
popper 2: false errCode -2
popper 3: false errCode -2
pusher 1: false errCode -2
pusher 2: false errCode -2
int(0)
int(0)
int(1)
string(4) "kept"
bool(false)
int(-2)
