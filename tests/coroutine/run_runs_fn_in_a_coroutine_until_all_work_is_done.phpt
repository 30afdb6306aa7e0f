--TEST--
Tide\run() runs $fn with its arguments in a coroutine, then waits for every coroutine and timer before returning true
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;
use Tide\Timer;

echo "cid outside: ", Coroutine::getCid(), "\n";
$ret = Tide\run(function (string $a, int $b) {
    echo "fn got $a $b, in coroutine: ", Coroutine::getCid() >= 1 ? 'yes' : 'no', "\n";
    Tide\go(function () {
        Coroutine::sleep(0.05);
        echo "child coroutine finished\n";
    });
    Timer::after(80, function () {
        echo "timer fired\n";
    });
    echo "fn returns\n";
}, 'x', 42);
echo "run returned\n";
var_dump($ret);
echo "cid after: ", Coroutine::getCid(), "\n";
var_dump(Coroutine::stats()['coroutine_num']);
?>
--EXPECT--
cid outside: -1
fn got x 42, in coroutine: yes
fn returns
child coroutine finished
timer fired
run returned
bool(true)
cid after: -1
int(0)
