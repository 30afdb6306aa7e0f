--TEST--
Tide\Coroutine::resume() of an unknown, running, sleeping or ended coroutine returns false with an E_WARNING
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;

set_error_handler(function (int $no, string $msg) {
    echo $no === E_WARNING ? "E_WARNING" : "error $no", ": $msg\n";
    return true;
});

var_dump(Coroutine::resume(42));        /* outside any loop */
Tide\run(function () {
    var_dump(Coroutine::resume(123456));
    var_dump(Coroutine::resume(Coroutine::getCid()));   /* itself: running */
    $sleeper = Tide\go(function () { Coroutine::sleep(0.02); echo "sleeper woke on time\n"; });
    var_dump(Coroutine::resume($sleeper));
    $done = Tide\go(function () {});
    var_dump(Coroutine::resume($done));
});
?>
--EXPECTF--
E_WARNING: %s
bool(false)
E_WARNING: %s
bool(false)
E_WARNING: %s
bool(false)
E_WARNING: %s
bool(false)
E_WARNING: %s
bool(false)
sleeper woke on time
