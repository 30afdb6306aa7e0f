--TEST--
Tide\Coroutine\Channel serves waiting poppers and waiting pushers in the order they started to wait, and keeps items in FIFO order
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;
use Tide\Coroutine\Channel;

Tide\run(function () {
    /* Poppers 1..5 wait on an empty channel; items go to them in that order. */
    $ch = new Channel(1);
    $got = [];
    foreach ([1, 2, 3, 4, 5] as $i) {
        Tide\go(function () use ($ch, $i, &$got) {
            $got[] = "popper $i got " . $ch->pop();
        });
    }
    foreach (['a', 'b', 'c', 'd', 'e'] as $item) {
        $ch->push($item);
    }
    Coroutine::sleep(0.01);
    echo implode("\n", $got), "\n";

    /* Pushers 1..5 wait on a full channel; their items come out in that order. */
    $ch = new Channel(2);
    $ch->push('pre 1');
    $ch->push('pre 2');
    $done = [];
    foreach ([1, 2, 3, 4, 5] as $i) {
        Tide\go(function () use ($ch, $i, &$done) {
            $ch->push("pushed by $i");
            $done[] = $i;
        });
    }
    $out = [];
    for ($n = 0; $n < 7; $n++) {
        $out[] = $ch->pop();
    }
    echo implode("\n", $out), "\n";
    Coroutine::sleep(0.01);
    echo "pushers returned in order: ", implode(',', $done), "\n";

    /* A popper whose wait timed out is skipped, not handed the item. */
    $ch = new Channel(1);
    Tide\go(function () use ($ch) {
        var_dump($ch->pop(0.01));
    });
    Tide\go(function () use ($ch) {
        $v = $ch->pop();
        echo "patient popper got $v\n";
    });
    Coroutine::sleep(0.05);
    $ch->push('for the patient one');
});
?>
--EXPECT--
popper 1 got a
popper 2 got b
popper 3 got c
popper 4 got d
popper 5 got e
pre 1
pre 2
pushed by 1
pushed by 2
pushed by 3
pushed by 4
pushed by 5
pushers returned in order: 1,2,3,4,5
bool(false)
patient popper got for the patient one
