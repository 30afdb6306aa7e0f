--TEST--
Tide\Coroutine\Channel::pop() on an empty channel and push() on a full one give up after their timeout: false, errCode -1, and errCode 0 after a success
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;
use Tide\Coroutine\Channel;

Tide\run(function () {
    $ch = new Channel(1);

    $t = hrtime(true);
    $v = $ch->pop(0.05);
    $waited = (hrtime(true) - $t) / 1e9;
    var_dump($v, $ch->errCode);
    echo $waited >= 0.05 ? "pop waited its timeout\n" : "pop gave up after $waited s\n";
    echo $waited < 2 ? "and no longer\n" : "pop waited $waited s\n";

    var_dump($ch->push('a'), $ch->errCode);
    $t = hrtime(true);
    var_dump($ch->push('b', 0.05), $ch->errCode);
    $waited = (hrtime(true) - $t) / 1e9;
    echo $waited >= 0.05 ? "push waited its timeout\n" : "push gave up after $waited s\n";
    var_dump($ch->length(), $ch->pop(0.05), $ch->errCode);

    /* An item that arrives before the timeout is taken. */
    Tide\go(function () use ($ch) {
        Coroutine::sleep(0.02);
        $ch->push('late');
    });
    var_dump($ch->pop(5), $ch->errCode);
});
?>
--EXPECT--
bool(false)
int(-1)
pop waited its timeout
and no longer
bool(true)
int(0)
bool(false)
int(-1)
push waited its timeout
int(1)
string(1) "a"
int(0)
string(4) "late"
int(0)
