--TEST--
Tide\run(): an uncaught exception, exit() or fatal error in fn before it first suspends stops the loop at once, as it does later on
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;

$t = microtime(true);
try {
    Tide\run(function () {
        Tide\go(function () { Coroutine::sleep(0.5); echo "sibling went on\n"; });
        throw new Exception("boom");
    });
} catch (Exception $e) {
    echo "caught ", $e->getMessage(), microtime(true) - $t < 0.4 ? " at once" : " late", "\n";
}
Tide\run(function () {
    Tide\go(function () { Coroutine::sleep(0.2); echo "sibling went on after the fatal error\n"; });
    /* A real fatal error: trigger_error(E_USER_ERROR) is deprecated since PHP 8.4. */
    ini_set('memory_limit', '16M');
    $too_big = str_repeat('x', 32 << 20);
});
?>
--EXPECTF--
caught boom at once

Fatal error: Allowed memory size of 16777216 bytes exhausted%s(tried to allocate %d bytes) in %s on line %d
