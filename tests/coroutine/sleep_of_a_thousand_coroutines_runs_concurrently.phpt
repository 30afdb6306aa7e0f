--TEST--
Tide\Coroutine::sleep() in 1000 coroutines, 0.05 s each, completes in about 0.05 s, not 50 s: they sleep concurrently
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;

$woke = 0;
$start = hrtime(true);
var_dump(Tide\run(function () use (&$woke) {
    for ($i = 0; $i < 1000; $i++) {
        Tide\go(function () use (&$woke) {
            Coroutine::sleep(0.05);
            $woke++;
        });
    }
}));
$elapsed = (hrtime(true) - $start) / 1e9;
var_dump($woke);
echo $elapsed >= 0.05 ? "not early\n" : "too early: $elapsed s\n";
echo $elapsed < 2 ? "concurrent\n" : "took $elapsed s\n";
?>
--EXPECT--
bool(true)
int(1000)
not early
concurrent
