--TEST--
Tide\Coroutine::sleep() inside a destructor run by the garbage collector throws Tide\Exception instead of suspending, on every PHP version (a coroutine switch would leave the collector stopped for every coroutine), and the collector keeps working
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;

class Cycle
{
    public $self;
    public function __destruct()
    {
        try {
            Coroutine::sleep(0.001);
            echo "slept in a GC destructor\n";
        } catch (Tide\Exception $e) {
            echo get_class($e), ": ", $e->getMessage(), "\n";
        }
    }
}

Tide\run(function () {
    $c = new Cycle;
    $c->self = $c;      // only the cycle collector can free it
    unset($c);
    var_dump(gc_collect_cycles() >= 1);
    // The collector is not left "running": a second cycle is collected too.
    $d = new Cycle;
    $d->self = $d;
    unset($d);
    var_dump(gc_collect_cycles() >= 1);
    Coroutine::sleep(0.001); // suspending outside the destructor still works
    echo "done\n";
});
?>
--EXPECT--
Tide\Exception: Tide\Coroutine::sleep() cannot suspend the coroutine while the garbage collector runs (in a destructor it calls)
bool(true)
Tide\Exception: Tide\Coroutine::sleep() cannot suspend the coroutine while the garbage collector runs (in a destructor it calls)
bool(true)
done
