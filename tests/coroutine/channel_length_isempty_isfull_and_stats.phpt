--TEST--
Tide\Coroutine\Channel::length(), isEmpty(), isFull() and stats() (consumer_num, producer_num, queue_num) follow pushes, pops and waiters
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;
use Tide\Coroutine\Channel;

function show(Channel $ch): void
{
    $s = $ch->stats();
    printf("len=%d empty=%s full=%s consumers=%d producers=%d queue=%d\n", $ch->length(),
        var_export($ch->isEmpty(), true), var_export($ch->isFull(), true),
        $s['consumer_num'], $s['producer_num'], $s['queue_num']);
}

Tide\run(function () {
    $ch = new Channel(2);
    show($ch);
    Tide\go(fn () => $ch->pop());
    Tide\go(fn () => $ch->pop());
    show($ch);                     /* two consumers waiting */
    $ch->push(1);
    $ch->push(2);                  /* both handed over directly */
    show($ch);
    Coroutine::sleep(0.001);
    $ch->push('a');
    show($ch);
    $ch->push('b');
    show($ch);
    Tide\go(fn () => $ch->push('c'));
    Tide\go(fn () => $ch->push('d'));
    show($ch);                     /* two producers waiting */
    $ch->pop();
    show($ch);                     /* c moved into the buffer */
    $ch->pop();
    $ch->pop();
    show($ch);
    Coroutine::sleep(0.001);
    $ch->pop();
    show($ch);
});
?>
--EXPECT--
len=0 empty=true full=false consumers=0 producers=0 queue=0
len=0 empty=true full=false consumers=2 producers=0 queue=0
len=0 empty=true full=false consumers=0 producers=0 queue=0
len=1 empty=false full=false consumers=0 producers=0 queue=1
len=2 empty=false full=true consumers=0 producers=0 queue=2
len=2 empty=false full=true consumers=0 producers=2 queue=2
len=2 empty=false full=true consumers=0 producers=1 queue=2
len=1 empty=false full=false consumers=0 producers=0 queue=1
len=0 empty=true full=false consumers=0 producers=0 queue=0
