--TEST--
Tide\run(): a coroutine woken by another one's finally block during teardown is not left in the run queue after it died
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;
use Tide\Coroutine\Channel;

try {
    Tide\run(function () {
        $ch = new Channel(1);
        Tide\go(function () use ($ch) {
            try { Coroutine::sleep(10); } finally { $ch->push(1); }
        });
        Tide\go(function () use ($ch) { $ch->pop(); });
        Tide\go(function () { Coroutine::sleep(0.001); throw new Exception("boom"); });
    });
} catch (Exception $e) {
    echo "caught ", $e->getMessage(), "\n";
}
var_dump(Coroutine::stats()['ready_num']);
Tide\run(function () { echo "second run\n"; });
?>
--EXPECT--
caught boom
int(0)
second run
