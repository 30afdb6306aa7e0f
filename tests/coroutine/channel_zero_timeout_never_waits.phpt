--TEST--
Tide\Coroutine\Channel::pop(0) on an empty channel and push(..., 0) on a full one return false at once with errCode -1 (timeout), inside and outside a coroutine
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;
use Tide\Coroutine\Channel;

function check(string $where): void
{
    $ch = new Channel(1);
    var_dump($ch->pop(0), $ch->errCode);
    var_dump($ch->push('a', 0), $ch->errCode);
    var_dump($ch->push('b', 0), $ch->errCode);
    var_dump($ch->pop(0), $ch->errCode);
    echo "$where done\n";
}

check('outside');
Tide\run(function () {
    check('inside');

    /* "At once": no other coroutine runs meanwhile. */
    $ran = false;
    Tide\go(function () use (&$ran) {
        Coroutine::sleep(0);
        $ran = true;
    });
    $ch = new Channel(1);
    $ch->pop(0);
    $ch->push(1, 0);
    $ch->push(2, 0);
    echo $ran ? "another coroutine ran during a zero timeout\n" : "nothing else ran\n";
});
?>
--EXPECT--
bool(false)
int(-1)
bool(true)
int(0)
bool(false)
int(-1)
string(1) "a"
int(0)
outside done
bool(false)
int(-1)
bool(true)
int(0)
bool(false)
int(-1)
string(1) "a"
int(0)
inside done
nothing else ran
