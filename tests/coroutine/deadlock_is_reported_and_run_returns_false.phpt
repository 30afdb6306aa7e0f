--TEST--
Tide\run() with coroutines left waiting for ever on a Channel, a WaitGroup and yield() reports the deadlock on stderr, one line per coroutine with where it waits, and returns false
--EXTENSIONS--
tide
--FILE--
<?php
require __DIR__ . '/../inc/child.inc';

$script = <<<'PHP'
use Tide\Coroutine;
$ch = new Tide\Coroutine\Channel(1);
$wg = new Tide\Coroutine\WaitGroup(1);
$r = Tide\run(function () use ($ch, $wg) {
    Tide\go(function () use ($ch) {
        $ch->pop();
    });
    Tide\go(function () use ($wg) {
        $wg->wait();
    });
    Tide\go(function () {
        Coroutine::yield();
    });
    Coroutine::sleep(0.01);
    echo "fn done\n";
});
echo "run returned ", var_export($r, true), "\n";
/* Afterwards the loop is usable again, and a clean run returns true. */
var_dump(Tide\run(function () { Coroutine::sleep(0.001); }));
PHP;

$r = tide_child_php(['-r', $script], tide_child_env(['TIDE_REACTOR' => getenv('TIDE_REACTOR') ?: null]));
echo $r['stdout'];
echo "--- stderr\n", $r['stderr'];
echo "--- status {$r['status']}\n";
?>
--EXPECTF--
fn done
run returned false
bool(true)
--- stderr
[tide] deadlock: 3 coroutine(s) waiting
#2 %s:6 (%sChannel::pop())
#3 %s:9 (%sWaitGroup::wait())
#4 %s:12 (%sCoroutine::yield())
--- status 0
