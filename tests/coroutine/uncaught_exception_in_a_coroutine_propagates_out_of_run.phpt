--TEST--
An exception uncaught in any coroutine ends Tide\run() by propagating out of it (catchable there), after the other coroutines were unwound
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;

try {
    Tide\run(function () {
        Tide\go(function () {
            try {
                Coroutine::sleep(30);
                echo "sleeper woke\n";
            } finally {
                echo "sleeper's finally\n";
            }
        });
        Tide\go(function () {
            $ch = new Tide\Coroutine\Channel(1);
            try {
                $ch->pop();
            } finally {
                echo "popper's finally\n";
            }
        });
        Tide\go(function () {
            Coroutine::sleep(0.01);
            throw new RuntimeException('from a nested coroutine');
        });
        Coroutine::sleep(20);
        echo "fn not reached\n";
    });
    echo "not reached\n";
} catch (RuntimeException $e) {
    echo "caught: ", $e->getMessage(), "\n";
}
var_dump(Coroutine::stats()['coroutine_num']);

/* Thrown before the first suspension: go() does not return, the creator is unwound too
 * (its finally runs); the same for a coroutine that resumed the thrower. */
try {
    Tide\run(function () {
        try {
            Tide\go(function () {
                throw new LogicException('at once');
            });
            echo "creator not resumed\n";
        } finally {
            echo "creator's finally\n";
        }
    });
} catch (LogicException $e) {
    echo "caught: ", $e->getMessage(), "\n";
}
try {
    Tide\run(function () {
        $id = Tide\go(function () {
            Coroutine::yield();
            throw new LogicException('once resumed');
        });
        Tide\go(function () use ($id) {
            try {
                Coroutine::resume($id);
                echo "resumer not resumed\n";
            } finally {
                echo "resumer's finally\n";
            }
        });
    });
} catch (LogicException $e) {
    echo "caught: ", $e->getMessage(), "\n";
}
$start = hrtime(true);
var_dump(Tide\run(function () { Coroutine::sleep(0.001); }));
echo (hrtime(true) - $start) / 1e9 < 5 ? "no stale sleeper delays the next run\n" : "slow\n";
?>
--EXPECT--
sleeper's finally
popper's finally
caught: from a nested coroutine
int(0)
creator's finally
caught: at once
resumer's finally
caught: once resumed
bool(true)
no stale sleeper delays the next run
