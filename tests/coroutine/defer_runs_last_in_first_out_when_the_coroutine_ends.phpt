--TEST--
Tide\Coroutine::defer() callbacks run when their coroutine ends, last registered first, after its function returned, also across a sleep
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;

class Res
{
    public function close(): void { echo "Res::close\n"; }
}

Tide\run(function () {
    Tide\go(function () {
        Coroutine::defer(function () { echo "B defer 1\n"; });
        Coroutine::defer([new Res, 'close']);
        Coroutine::sleep(0.01);
        Coroutine::defer(function () {
            echo "B defer 3 sees cid ", Coroutine::getCid() > 0 ? 'yes' : 'no', "\n";
            /* a defer may itself suspend */
            Coroutine::sleep(0.001);
            echo "B defer 3 after sleep\n";
        });
        echo "B returns\n";
    });
    Coroutine::defer(function () { echo "A defer\n"; });
    echo "A returns\n";
});
echo "run returned\n";
?>
--EXPECT--
A returns
A defer
B returns
B defer 3 sees cid yes
B defer 3 after sleep
Res::close
B defer 1
run returned
