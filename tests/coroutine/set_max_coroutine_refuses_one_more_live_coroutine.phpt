--TEST--
Tide\Coroutine::set(['max_coroutine' => N]) makes creating the N+1th live coroutine (Tide\run()'s own included) return false with a warning
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;

Coroutine::set(['max_coroutine' => 3]);
Tide\run(function () {
    $a = Tide\go(function () { Coroutine::sleep(0.02); });
    $b = Coroutine::create(function () { Coroutine::sleep(0.02); });
    var_dump(is_int($a), is_int($b));
    $ran = false;
    $c = Tide\go(function () use (&$ran) { $ran = true; });
    var_dump($c, $ran);
    $d = Coroutine::create(function () use (&$ran) { $ran = true; });
    var_dump($d, $ran);
    var_dump(Coroutine::stats()['coroutine_num']);
    /* once one has ended there is room again */
    Coroutine::sleep(0.05);
    var_dump(is_int(Tide\go(function () use (&$ran) { $ran = true; })), $ran);
});

/* Not limited any more. */
Coroutine::set(['max_coroutine' => 0]);
Tide\run(function () {
    for ($i = 0; $i < 10; $i++) {
        if (!Tide\go(function () { Coroutine::sleep(0.001); })) {
            echo "refused\n";
        }
    }
    echo "10 created\n";
});
?>
--EXPECTF--
bool(true)
bool(true)

Warning: Tide\go(): %smax_coroutine%s in %s on line %d
bool(false)
bool(false)

Warning: Tide\Coroutine::create(): %smax_coroutine%s in %s on line %d
bool(false)
bool(false)
int(3)
bool(true)
bool(true)
10 created
