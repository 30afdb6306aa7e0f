--TEST--
An exception thrown by a Tide\Timer callback inside Tide\run() propagates out of Tide\run(), and a later Tide\run() still works
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Timer;

class Boom extends Exception {}

try {
    Tide\run(function () {
        $id = Timer::after(10, function () use (&$id) {
            throw new Boom("from timer $id");
        });
    });
    echo "not reached\n";
} catch (Boom $e) {
    echo get_class($e), ": ", preg_replace('/\d+$/', 'N', $e->getMessage()), "\n";
}

$log = [];
var_dump(Tide\run(function () use (&$log) {
    Timer::after(200, function () use (&$log) { $log[] = 'after'; });
    Timer::tick(5, function (int $id) use (&$log) {
        $log[] = 'tick';
        if (count($log) >= 2) {
            Timer::clear($id);
        }
    });
}));
echo implode(' ', $log), "\n";
?>
--EXPECT--
Boom: from timer N
bool(true)
tick tick after
