--TEST--
Tide\Coroutine::sleep() suspends only the calling coroutine for at least the given time, returning true; others run meanwhile in deadline order
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;

Tide\run(function () {
    $start = hrtime(true);
    foreach ([0.06, 0.02, 0.04] as $s) {
        Tide\go(function () use ($s, $start) {
            $t = hrtime(true);
            $r = Coroutine::sleep($s);
            $slept = (hrtime(true) - $t) / 1e9;
            echo "slept $s: ", var_export($r, true), $slept >= $s ? '' : " but woke after only $slept s", "\n";
        });
    }
    echo "all three are asleep, this one is not\n";
    var_dump(Coroutine::sleep(0));   /* 0: lets others run, returns true */
    echo "main coroutine done\n";
});
?>
--EXPECT--
all three are asleep, this one is not
bool(true)
main coroutine done
slept 0.02: true
slept 0.04: true
slept 0.06: true
