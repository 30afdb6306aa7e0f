--TEST--
Tide\Coroutine\WaitGroup::wait($timeout) returns false after the timeout while the counter is above zero, and the group stays usable
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;
use Tide\Coroutine\WaitGroup;

Tide\run(function () {
    $wg = new WaitGroup(1);
    $t = hrtime(true);
    var_dump($wg->wait(0.05));
    $waited = (hrtime(true) - $t) / 1e9;
    echo $waited >= 0.05 ? "waited its timeout\n" : "gave up after $waited s\n";
    echo $waited < 2 ? "and no longer\n" : "waited $waited s\n";
    var_dump($wg->count());
    Tide\go(function () use ($wg) {
        Coroutine::sleep(0.01);
        $wg->done();
    });
    var_dump($wg->wait(5));
});
?>
--EXPECT--
bool(false)
waited its timeout
and no longer
int(1)
bool(true)
