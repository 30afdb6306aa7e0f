--TEST--
Tide\Coroutine::set() throws ValueError naming an unknown option, and for a stack_size or max_coroutine out of range; valid options are kept
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;

$bad = [
    ['unknown' => 1],
    ['max_coroutine' => 10, 'no_such_key' => true],
    ['stack_size' => 1024],
    ['stack_size' => 0],
    ['stack_size' => -65536],
    ['stack_size' => PHP_INT_MAX],
    ['max_coroutine' => -1],
];
foreach ($bad as $options) {
    try {
        Coroutine::set($options);
        echo "accepted ", json_encode($options), "\n";
    } catch (ValueError $e) {
        echo get_class($e), ": ", $e->getMessage(), "\n";
    }
}

Coroutine::set(['stack_size' => 128 * 1024, 'max_coroutine' => 500]);
$s = Coroutine::stats();
var_dump($s['stack_size'], $s['max_coroutine']);
Tide\run(function () {
    $s = Coroutine::stats();
    var_dump($s['stack_size'], $s['max_coroutine']);
});
?>
--EXPECTF--
ValueError: %s"unknown"
ValueError: %s"no_such_key"
ValueError: %sstack_size%s
ValueError: %sstack_size%s
ValueError: %sstack_size%s
ValueError: %sstack_size%s
ValueError: %smax_coroutine%s
int(131072)
int(500)
int(131072)
int(500)
