--TEST--
Tide\Coroutine::cancel() wakes a coroutine in WaitGroup::wait(), which returns false while the counter stays as it was
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;
use Tide\Coroutine\WaitGroup;

Tide\run(function () {
    $wg = new WaitGroup(2);
    $waiter = Tide\go(function () use ($wg) {
        $r = $wg->wait();
        echo "wait returned "; var_dump($r);
        var_dump(Coroutine::isCanceled(), $wg->count());
    });
    Coroutine::sleep(0.01);
    var_dump(Coroutine::cancel($waiter));
    Coroutine::sleep(0.01);
    $wg->done();
    $wg->done();
    var_dump($wg->wait());
});
?>
--EXPECT--
bool(true)
wait returned bool(false)
bool(true)
int(2)
bool(true)
