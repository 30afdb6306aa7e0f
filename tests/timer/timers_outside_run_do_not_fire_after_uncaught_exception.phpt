--TEST--
Tide\Timer made outside Tide\run() does not fire at shutdown when the script died of an uncaught exception
--EXTENSIONS--
tide
--FILE--
<?php
Tide\Timer::after(5, function () {
    echo "timer fired\n";
});
register_shutdown_function(function () {
    echo "shutdown function ran\n";
});
throw new RuntimeException('boom');
?>
--EXPECTF--
Fatal error: Uncaught RuntimeException: boom in %s:%d
Stack trace:
#0 {main}
  thrown in %s on line %d
shutdown function ran
