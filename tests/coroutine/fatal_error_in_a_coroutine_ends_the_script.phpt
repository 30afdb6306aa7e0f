--TEST--
A fatal error (E_USER_ERROR) in a coroutine ends the script with status 255; the script's coroutines do not run again, but a shutdown function can start Tide\run() afresh
--EXTENSIONS--
tide
--FILE--
<?php
require __DIR__ . '/../inc/child.inc';

$script = <<<'PHP'
use Tide\Coroutine;
register_shutdown_function(function () {
    echo "shutdown function\n";
    $r = Tide\run(function () {
        Coroutine::sleep(0.01);
        echo "coroutine in the shutdown function, cid ", Coroutine::getCid() > 0 ? 'ok' : 'missing', "\n";
    });
    echo "shutdown run returned ", var_export($r, true), "\n";
});
Tide\run(function () {
    Tide\go(function () {
        Coroutine::sleep(0.3);
        echo "a coroutine of the dead script ran on\n";
    });
    Tide\go(function () {
        Coroutine::sleep(0.01);
        trigger_error('fatal in a coroutine', E_USER_ERROR);
        echo "not reached after the error\n";
    });
});
echo "not reached\n";
PHP;
$r = tide_child_php(['-d', 'display_errors=1', '-d', 'log_errors=0', '-r', $script],
    tide_child_env(['TIDE_REACTOR' => getenv('TIDE_REACTOR') ?: null]));
echo $r['stdout'], "--- status {$r['status']}\n";
?>
--EXPECTF--
Fatal error: fatal in a coroutine in %s on line %d
shutdown function
coroutine in the shutdown function, cid ok
shutdown run returned true
--- status 255
