--TEST--
An exception uncaught in a coroutine and not caught around Tide\run() ends the script with PHP's "Fatal error: Uncaught" and exit status 255, after unwinding the other coroutines
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
        try {
            Coroutine::sleep(30);
        } finally {
            echo "other coroutine's finally\n";
        }
    });
    Tide\go(function () {
        Coroutine::sleep(0.01);
        throw new DomainException('nobody catches this');
    });
});
echo "not reached\n";
PHP;

$r = tide_child_php(['-d', 'display_errors=1', '-d', 'log_errors=0', '-r', $script], tide_child_env(['TIDE_REACTOR' => getenv('TIDE_REACTOR') ?: null]));
echo $r['stdout'], "--- status {$r['status']}\n";
?>
--EXPECTF--
other coroutine's finally

Fatal error: Uncaught DomainException: nobody catches this in %s
Stack trace:
#0 [internal function]: {closure%S}()
#1 {main}
  thrown in %s on line %d
shutdown function
--- status 255
