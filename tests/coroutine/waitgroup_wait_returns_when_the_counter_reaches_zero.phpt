--TEST--
Tide\Coroutine\WaitGroup::wait() returns true once done() has been called as often as add() counted, count() follows the counter, and several waiters are all woken
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;
use Tide\Coroutine\WaitGroup;

Tide\run(function () {
    $wg = new WaitGroup();
    var_dump($wg->count());
    var_dump($wg->wait());         /* zero: returns at once */
    $results = [];
    foreach ([0.03, 0.01, 0.02] as $i => $s) {
        $wg->add();
        Tide\go(function () use ($wg, $s, $i, &$results) {
            Coroutine::sleep($s);
            $results[] = $i;
            $wg->done();
        });
    }
    var_dump($wg->count());
    Tide\go(function () use ($wg) {
        var_dump($wg->wait());
        echo "the waiter that came first is woken first\n";
    });
    var_dump($wg->wait());
    echo "then this one: ", implode(',', $results), "\n";
    var_dump($wg->count());

    /* add() with a delta, and a constructor delta. */
    $wg = new WaitGroup(2);
    $wg->add(3);
    var_dump($wg->count());
    Tide\go(function () use ($wg) {
        for ($i = 0; $i < 5; $i++) {
            Coroutine::sleep(0.001);
            $wg->done();
        }
    });
    var_dump($wg->wait(), $wg->count());
});
?>
--EXPECT--
int(0)
bool(true)
int(3)
bool(true)
the waiter that came first is woken first
bool(true)
then this one: 1,2,0
int(0)
int(5)
bool(true)
int(0)
