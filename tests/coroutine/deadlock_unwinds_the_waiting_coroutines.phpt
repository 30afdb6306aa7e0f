--TEST--
Tide\run() ending in a deadlock unwinds the coroutines left waiting: their finally blocks and defers run before Tide\run() returns false
--EXTENSIONS--
tide
--FILE--
<?php
require __DIR__ . '/../inc/child.inc';

$script = <<<'PHP'
use Tide\Coroutine;
$r = Tide\run(function () {
    $ch = new Tide\Coroutine\Channel(1);
    Tide\go(function () use ($ch) {
        Coroutine::defer(function () { echo "popper's defer\n"; });
        try {
            $ch->pop();
            echo "pop returned\n";
        } finally {
            echo "popper's finally\n";
        }
        echo "not reached after pop\n";
    });
    Tide\go(function () {
        try {
            Coroutine::yield();
        } catch (Throwable $e) {
            echo "caught ", get_class($e), "\n";
        } finally {
            echo "yielder's finally\n";
        }
    });
    echo "fn done\n";
});
echo "run returned ", var_export($r, true), "\n";
PHP;

$r = tide_child_php(['-r', $script], tide_child_env(['TIDE_REACTOR' => getenv('TIDE_REACTOR') ?: null]));
echo $r['stdout'];
echo "--- status {$r['status']}\n";
echo substr_count($r['stderr'], "\n#"), " coroutines reported\n";
?>
--EXPECT--
fn done
popper's finally
popper's defer
yielder's finally
run returned false
--- status 0
2 coroutines reported
