--TEST--
tide.swoole_compat=On: Swoole\Process's message queue as Swoole code uses it: useQueue() in SWOOLE_MSGQUEUE_BALANCE mode shared by two forked workers (every message taken once), SWOOLE_MSGQUEUE_ORIENT (each worker takes what was pushed to its own object), statQueue(), freeQueue(); with IPC_NOWAIT pop() on an empty queue and push() on a full one (a capacity of 1 KiB) return false at once; in a coroutine a waiting pop() lets the other coroutines run; bad arguments are ValueErrors, a process without a queue warns
--INI--
tide.swoole_compat=On
--EXTENSIONS--
tide
--FILE--
<?php
use Swoole\Process;

/* Keys of this run only; the queues are removed at the end, whatever happens. */
$base = 0x51000000 | (getmypid() << 4);
$parent = getmypid();
register_shutdown_function(function () use ($base, $parent) {
    if (getmypid() !== $parent) {
        return; /* (a forked worker runs shutdown functions too) */
    }
    for ($i = 0; $i < 4; $i++) {
        $p = new Process(fn() => null, false, 0);
        @$p->useQueue($base + $i);
        @$p->freeQueue();
    }
});

/* Waits for every child; their exit codes by pid. */
function reap(int $n): array
{
    $codes = [];
    while ($n-- > 0 && ($r = Process::wait())) {
        $codes[$r['pid']] = $r['code'];
    }
    return $codes;
}

/* BALANCE: the workers compete; every message is taken once. */
$taken = new Swoole\Atomic(0);
$workers = [];
for ($i = 0; $i < 2; $i++) {
    $w = new Process(function (Process $w) use ($taken) {
        while (($m = $w->pop()) !== 'stop') {
            $taken->add(1);
        }
    }, false, 0);
    $w->useQueue($base, SWOOLE_MSGQUEUE_BALANCE);
    $w->start();
    $workers[] = $w;
}
for ($i = 0; $i < 200; $i++) {
    $workers[$i % 2]->push("message $i");
}
$workers[0]->push('stop');
$workers[0]->push('stop');
reap(2);
echo 'balance: ', $taken->get(), " messages taken, queue then: ", json_encode($workers[0]->statQueue()), "\n";

/* ORIENT: a worker takes only what was pushed to its own object. */
$pids = [];
$orient = [];
for ($i = 0; $i < 2; $i++) {
    $w = new Process(function (Process $w) {
        $m = $w->pop();
        exit($m === "for #{$w->id}" ? 0 : 1);
    }, false, 0);
    $w->useQueue($base + 1, SWOOLE_MSGQUEUE_ORIENT);
    $orient[] = $w;
}
/* pushed before the workers start, in the other order */
$orient[1]->push("for #{$orient[1]->id}");
$orient[0]->push("for #{$orient[0]->id}");
var_dump($orient[0]->statQueue()['queue_num']);
foreach ($orient as $w) {
    $pids[] = $w->start();
}
$codes = reap(2);
echo 'orient: each worker got its own message: ', var_export(array_sum($codes) === 0 && count($codes) === 2, true), "\n";
var_dump($orient[0]->freeQueue(), $orient[0]->push('x'));

/* IPC_NOWAIT, and a bound: 1 KiB of capacity. */
$q = new Process(fn() => null, false, 0);
var_dump($q->useQueue($base + 2, SWOOLE_MSGQUEUE_BALANCE | Process::IPC_NOWAIT, 1024));
var_dump($q->pop());
$msgmax = (int) (@file_get_contents('/proc/sys/kernel/msgmax') ?: 8192);
var_dump($q->push(str_repeat('y', min($msgmax + 1, 65536)))); /* over the kernel's msgmax */
$q->push('twelve bytes');
var_dump($q->pop(5), $q->pop()); /* too small a $size: the message stays */
$n = 0;
while ($q->push(str_repeat('x', 100)) && $n < 1000) {
    $n++;
}
$st = $q->statQueue();
echo "nowait: $n messages of 100 bytes fit, then push() is false; queue_bytes <= 1024: ",
    var_export($st['queue_bytes'] <= 1024, true), "\n";
$q->freeQueue();

/* In a coroutine, a pop() that waits lets the others run. */
$c = new Process(fn() => null, false, 0);
$c->useQueue($base + 3, SWOOLE_MSGQUEUE_BALANCE);
Co\run(function () use ($c) {
    $order = [];
    $done = new Swoole\Coroutine\Channel(1);
    go(function () use ($c, &$order, $done) {
        $order[] = 'pop waits';
        $order[] = 'popped ' . $c->pop(); /* (the queue is empty: it waits) */
        $done->push(true);
    });
    go(function () use ($c, &$order) {
        $order[] = 'another coroutine runs';
        $c->push('late message');
        $order[] = 'pushed';
    });
    $order[] = 'main goes on';
    $done->pop(5);
    echo 'coroutine: ', implode(', ', $order), "\n";
});
$c->freeQueue();

foreach ([fn() => (new Process(fn() => null))->useQueue(1, 3), fn() => (new Process(fn() => null))->useQueue(-1),
          fn() => $c->push(str_repeat('x', 65537)), fn() => $c->pop(0)] as $bad) {
    try {
        $bad();
    } catch (ValueError $e) {
        echo $e->getMessage(), "\n";
    }
}
var_dump((new Process(fn() => null))->pop());
?>
--EXPECTF--
balance: 200 messages taken, queue then: {"queue_num":0,"queue_bytes":0}
int(2)
orient: each worker got its own message: true

Warning: Swoole\Process::push(): this process has no message queue: call useQueue() before push() in %s on line %d
bool(true)
bool(false)
bool(true)
bool(false)

Warning: Swoole\Process::push(): the message queue: Invalid argument in %s on line %d
bool(false)

Warning: Swoole\Process::pop(): the message queue: Argument list too long in %s on line %d
bool(false)
string(12) "twelve bytes"
nowait: 10 messages of 100 bytes fit, then push() is false; queue_bytes <= 1024: true
coroutine: pop waits, another coroutine runs, pushed, main goes on, popped late message
Swoole\Process::useQueue(): Argument #2 ($mode) must be Tide\MSGQUEUE_BALANCE or Tide\MSGQUEUE_ORIENT, optionally | Tide\Process::IPC_NOWAIT
Swoole\Process::useQueue(): Argument #1 ($key) must be a key from 1 to 2147483647, or 0 for one made from the script's path
Swoole\Process::push(): Argument #1 ($data) must be at most 65536 bytes, 65537 given
Swoole\Process::pop(): Argument #1 ($size) must be greater than 0

Warning: Swoole\Process::pop(): this process has no message queue: call useQueue() before pop() in %s on line %d
bool(false)
