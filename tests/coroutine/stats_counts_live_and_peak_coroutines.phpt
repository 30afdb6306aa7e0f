--TEST--
Tide\Coroutine::stats() reports coroutine_num, coroutine_peak_num, coroutine_last_cid, max_coroutine and stack_size
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;

$s = Coroutine::stats();
foreach (['coroutine_num', 'coroutine_peak_num', 'coroutine_last_cid', 'max_coroutine', 'stack_size'] as $k) {
    echo $k, ": ", array_key_exists($k, $s) && is_int($s[$k]) ? 'int' : 'missing', "\n";
}
var_dump($s['coroutine_num']);

Tide\run(function () {
    $ids = [];
    for ($i = 0; $i < 5; $i++) {
        $ids[] = Tide\go(function () { Coroutine::sleep(0.02); });
    }
    $s = Coroutine::stats();
    var_dump($s['coroutine_num']);              /* 5 sleepers and this one */
    var_dump($s['coroutine_last_cid'] === max($ids));
    var_dump($s['coroutine_peak_num'] >= 6);
    var_dump($s['stack_size'] > 0);
    Coroutine::sleep(0.05);
    $s = Coroutine::stats();
    var_dump($s['coroutine_num']);
    var_dump($s['coroutine_peak_num'] >= 6);
});
Coroutine::set(['max_coroutine' => 77]);
var_dump(Coroutine::stats()['max_coroutine']);
var_dump(Coroutine::stats()['coroutine_num']);
?>
--EXPECT--
coroutine_num: int
coroutine_peak_num: int
coroutine_last_cid: int
max_coroutine: int
stack_size: int
int(0)
int(6)
bool(true)
bool(true)
bool(true)
int(1)
bool(true)
int(77)
int(0)
