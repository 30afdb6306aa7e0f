--TEST--
A fatal error (memory_limit exhausted) in a coroutine ends the script with status 255; the script's coroutines do not run again, but a shutdown function can start Tide\run() afresh
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
        /* A real fatal error: trigger_error(E_USER_ERROR) is deprecated since PHP 8.4. */
        ini_set('memory_limit', '16M');
        $too_big = str_repeat('x', 32 << 20);
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
Fatal error: Allowed memory size of 16777216 bytes exhausted%s(tried to allocate %d bytes) in %s on line %d
shutdown function
coroutine in the shutdown function, cid ok
shutdown run returned true
--- status 255
