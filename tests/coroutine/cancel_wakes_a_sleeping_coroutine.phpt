--TEST--
Tide\Coroutine::cancel() wakes a sleeping coroutine at once: its sleep() returns false and isCanceled() is true
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;

$start = hrtime(true);
Tide\run(function () {
    $id = Tide\go(function () {
        var_dump(Coroutine::isCanceled());
        $r = Coroutine::sleep(30);
        echo "sleep returned "; var_dump($r);
        var_dump(Coroutine::isCanceled());
        /* a new wait starts uncancelled */
        var_dump(Coroutine::sleep(0.001), Coroutine::isCanceled());
    });
    Coroutine::sleep(0.01);
    echo "cancelling\n";
    var_dump(Coroutine::cancel($id));
    echo "cancel returned\n";
});
$elapsed = (hrtime(true) - $start) / 1e9;
echo $elapsed < 10 ? "did not sleep 30 s\n" : "took $elapsed s\n";
?>
--EXPECT--
bool(false)
cancelling
bool(true)
cancel returned
sleep returned bool(false)
bool(true)
bool(true)
bool(false)
did not sleep 30 s
