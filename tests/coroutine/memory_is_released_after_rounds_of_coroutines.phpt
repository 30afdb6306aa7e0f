--TEST--
Tide\Coroutine: ten rounds of 1000 coroutines that store data in their context and pass it through channels leave memory_get_usage() where it started (within 64 KiB)
--EXTENSIONS--
tide
--SKIPIF--
<?php
if (getenv('USE_ZEND_ALLOC') === '0') die('skip memory_get_usage() needs the Zend memory manager (USE_ZEND_ALLOC=0)');
?>
--FILE--
<?php
use Tide\Coroutine;
use Tide\Coroutine\Channel;
use Tide\Coroutine\WaitGroup;

function round_of_coroutines(): int
{
    $sum = 0;
    Tide\run(function () use (&$sum) {
        $ch = new Channel(64);
        $wg = new WaitGroup();
        for ($i = 0; $i < 1000; $i++) {
            $wg->add();
            Tide\go(function () use ($ch, $wg, $i) {
                $ctx = Coroutine::getContext();
                $ctx['payload'] = str_repeat('x', 200) . $i;
                $ctx['obj'] = (object) ['i' => $i, 'list' => range(1, 20)];
                Coroutine::defer(fn () => $wg->done());
                Coroutine::sleep(0.001);
                $ch->push([$i, $ctx['obj']]);
            });
        }
        Tide\go(function () use ($ch, &$sum) {
            for ($n = 0; $n < 1000; $n++) {
                [$i, $obj] = $ch->pop();
                $sum += $obj->i;
            }
        });
        $wg->wait();
    });
    return $sum;
}

round_of_coroutines();          /* warm up: pools, caches, interned strings */
gc_collect_cycles();
$start = memory_get_usage();
for ($round = 0; $round < 10; $round++) {
    if (round_of_coroutines() !== 499500) {
        echo "round $round lost items\n";
    }
}
gc_collect_cycles();
$growth = memory_get_usage() - $start;
echo abs($growth) <= 65536 ? "memory back to its start\n" : "memory grew by $growth bytes over 10 rounds\n";
var_dump(Coroutine::stats()['coroutine_num']);
?>
--EXPECT--
memory back to its start
int(0)
