--TEST--
A fatal error (E_USER_ERROR) in a Tide\Timer callback ends Tide\run(), so a shutdown function can start the loop again
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
        trigger_error('boom', E_USER_ERROR);
    });
});
echo "not reached\n";
?>
--EXPECTF--
Fatal error: boom in %s on line %d
timer in a shutdown function fired
shutdown function done
