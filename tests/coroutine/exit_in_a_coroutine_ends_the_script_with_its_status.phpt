--TEST--
exit() in a coroutine ends the whole script at once with that status: Tide\run() does not return, shutdown functions still run
--EXTENSIONS--
tide
--FILE--
<?php
require __DIR__ . '/../inc/child.inc';

$script = <<<'PHP'
use Tide\Coroutine;
register_shutdown_function(function () { echo "shutdown function\n"; });
Tide\run(function () {
    Tide\go(function () {
        Coroutine::sleep(30);
        echo "sleeper woke\n";
    });
    Tide\go(function () {
        Coroutine::sleep(0.01);
        echo "exiting\n";
        exit(7);
    });
    Coroutine::sleep(20);
    echo "fn not reached\n";
});
echo "not reached\n";
PHP;
$env = tide_child_env(['TIDE_REACTOR' => getenv('TIDE_REACTOR') ?: null]);
$start = hrtime(true);
$r = tide_child_php(['-r', $script], $env);
echo $r['stdout'], "--- status {$r['status']}\n";
echo (hrtime(true) - $start) / 1e9 < 15 ? "did not wait for the sleepers\n" : "waited for the sleepers\n";

/* exit() with a string, and from a coroutine made outside Tide\run(). */
$r = tide_child_php(['-r', 'Tide\go(function () { Tide\Coroutine::sleep(0.01); exit("bye\n"); }); echo "main ends\n";'], $env);
echo $r['stdout'], "--- status {$r['status']}\n";
$r = tide_child_php(['-r', 'Tide\run(function () { Tide\go(function () { exit(3); }); echo "creator not resumed\n"; });'], $env);
echo $r['stdout'], "--- status {$r['status']}\n";
?>
--EXPECT--
exiting
shutdown function
--- status 7
did not wait for the sleepers
main ends
bye
--- status 0
--- status 3
