--TEST--
Tide\Coroutine::getContext(): what a coroutine stores there is destroyed when the coroutine ends, before the next one runs, also when it throws
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;

class Tracked
{
    public function __construct(public string $name) {}
    public function __destruct() { echo "destruct {$this->name}\n"; }
}

Tide\run(function () {
    $ended = new Tide\Coroutine\WaitGroup();
    $ended->add(2);
    Tide\go(function () use ($ended) {
        Coroutine::getContext()['t'] = new Tracked('first');
        Coroutine::defer(fn () => $ended->done());
        Coroutine::sleep(0.01);
        echo "first ends\n";
    });
    Tide\go(function () use ($ended) {
        Coroutine::getContext()['t'] = new Tracked('second');
        Coroutine::defer(fn () => $ended->done());
        Coroutine::sleep(0.02);
        echo "second ends\n";
    });
    $ended->wait();
    echo "both ended\n";
});

/* A context that refers to itself (a cycle) is collected too. */
Tide\run(function () {
    Tide\go(function () {
        $ctx = Coroutine::getContext();
        $ctx['self'] = $ctx;
        $ctx['t'] = new Tracked('in a cycle');
    });
    gc_collect_cycles();
    echo "after gc\n";
});

try {
    Tide\run(function () {
        Coroutine::getContext()['t'] = new Tracked('thrower');
        throw new Exception('boom');
    });
} catch (Exception $e) {
    echo "caught ", $e->getMessage(), "\n";
}
?>
--EXPECT--
first ends
destruct first
second ends
destruct second
both ended
destruct in a cycle
after gc
destruct thrower
caught boom
