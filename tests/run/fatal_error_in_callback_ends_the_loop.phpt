--TEST--
A fatal error (memory_limit exhausted) in a Tide\Timer callback ends Tide\run(), so a shutdown function can start the loop again
--EXTENSIONS--
tide
--FILE--
<?php
register_shutdown_function(function () {
    Tide\run(function () {
        Tide\Timer::after(5, function () {
            echo "timer in a shutdown function fired\n";
        });
    });
    echo "shutdown function done\n";
});

Tide\run(function () {
    Tide\Timer::after(5, function () {
        /* A real fatal error: trigger_error(E_USER_ERROR) is deprecated since PHP 8.4. */
        ini_set('memory_limit', '16M');
        $too_big = str_repeat('x', 32 << 20);
    });
});
echo "not reached\n";
?>
--EXPECTF--
Fatal error: Allowed memory size of 16777216 bytes exhausted%s(tried to allocate %d bytes) in %s on line %d
timer in a shutdown function fired
shutdown function done
