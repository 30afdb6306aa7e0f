--TEST--
Tide\Coroutine::cancel() wakes a coroutine waiting in Channel::pop() or Channel::push(): the call returns false and errCode is -3
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;
use Tide\Coroutine\Channel;

Tide\run(function () {
    $empty = new Channel(1);
    $popper = Tide\go(function () use ($empty) {
        $v = $empty->pop();
        echo "pop returned "; var_dump($v);
        var_dump($empty->errCode, Coroutine::isCanceled());
    });
    $full = new Channel(1);
    $full->push('first');
    $pusher = Tide\go(function () use ($full) {
        $r = $full->push('second');
        echo "push returned "; var_dump($r);
        var_dump($full->errCode, Coroutine::isCanceled());
    });
    Coroutine::sleep(0.01);
    var_dump(Coroutine::cancel($popper));
    var_dump(Coroutine::cancel($pusher));
    Coroutine::sleep(0.01);
    /* the channels are intact: the cancelled push did not add its item */
    var_dump($full->length(), $full->pop(), $empty->stats()['consumer_num'], $full->stats()['producer_num']);
});
?>
--EXPECT--
bool(true)
bool(true)
pop returned bool(false)
int(-3)
bool(true)
push returned bool(false)
int(-3)
bool(true)
int(1)
string(5) "first"
int(0)
int(0)
