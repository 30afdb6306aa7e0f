--TEST--
Tide\Coroutine\Channel::pop() after close() still returns every buffered item in order, then false with errCode -2: nothing pushed is lost
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;
use Tide\Coroutine\Channel;

Tide\run(function () {
    $ch = new Channel(3);
    $ch->push(1);
    $ch->push(2);
    $ch->push(3);
    /* and one producer waiting for room */
    Tide\go(function () use ($ch) {
        var_dump($ch->push(4));
        echo "producer: errCode ", $ch->errCode, "\n";
    });
    $ch->close();
    Coroutine::sleep(0.001);
    var_dump($ch->isEmpty(), $ch->length());
    while (($v = $ch->pop()) !== false) {
        echo "popped $v, errCode ", $ch->errCode, "\n";
    }
    echo "then errCode ", $ch->errCode, "\n";
    var_dump($ch->pop(1), $ch->errCode);
});
/* Outside a coroutine too. */
$ch = new Channel(2);
$ch->push('a');
$ch->close();
var_dump($ch->pop(), $ch->pop(), $ch->errCode);
?>
--EXPECT--
bool(false)
producer: errCode -2
bool(false)
int(3)
popped 1, errCode 0
popped 2, errCode 0
popped 3, errCode 0
then errCode -2
bool(false)
int(-2)
string(1) "a"
bool(false)
int(-2)
