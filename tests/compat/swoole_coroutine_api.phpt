--TEST--
tide.swoole_compat=On, written as a Swoole user writes it: Co::join() waits for every listed coroutine (and returns false at its timeout, or at once for ids already gone), Co::getElapsed(), Co::getBackTrace()/printBackTrace() of the running and of a suspended coroutine, Co::getStackUsage(), Co::getContext() is a Swoole\Coroutine\Context freed with its coroutine, getuid()/listCoroutines(), Co::set() with Swoole's option names and sizes ('256K') and Co::getOptions(), and the errors for bad ids and refused options
--INI--
tide.swoole_compat=On
--FILE--
<?php
use Swoole\Coroutine;

class Guard { function __destruct() { echo "context freed\n"; } }

Co\run(function () {
    $order = [];
    $gate = new Co\Channel(2);                            // the two end when told, not after a time
    $a = go(function () use (&$order, $gate) { $gate->pop(); $order[] = 'a'; });
    $b = go(function () use (&$order, $gate) { $gate->pop(); $order[] = 'b'; });
    // let them go at the end of this loop turn: once join() below is waiting
    Swoole\Event::defer(fn() => go(function () use ($gate) { $gate->push(1); $gate->push(2); }));
    var_dump($order);
    var_dump(Coroutine::join([$a, $b]), $order);
    var_dump(Coroutine::join([$a, 123456]));               // ids gone: true at once

    $release = new Co\Channel(1);
    $slow = go(function () use ($release) { $release->pop(); });
    $t = microtime(true);
    var_dump(Coroutine::join([$slow], 0.05));              // timed out
    $waited = microtime(true) - $t;
    var_dump($waited >= 0.04 && $waited < 0.4);
    var_dump(Coroutine::getElapsed($slow) >= 40, Coroutine::getElapsed(999999));

    function deep(int $n) { if ($n) { deep($n - 1); } else { Coroutine::yield(); } }
    $d = go(function () { deep(2); });
    $bt = Coroutine::getBackTrace($d);
    $name = fn(string $f) => preg_replace('/^\{closure.*\}$/', '{closure}', $f); // PHP 8.4 adds :file:line
    echo implode(' < ', array_map($name, array_column($bt, 'function'))), "\n";
    Coroutine::printBackTrace($d, 0, 2);
    $mine = Coroutine::getBackTrace();
    echo $name($mine[0]['function']), "\n";                         // starts at the caller, as debug_backtrace()
    var_dump(Coroutine::getBackTrace(999999), Coroutine::getStackUsage(999999));
    var_dump(Coroutine::getStackUsage($d) > Coroutine::getStackUsage($slow));
    Coroutine::resume($d);

    $hold = new Co\Channel(1);
    $c = go(function () use ($hold) {
        $ctx = Coroutine::getContext();
        $ctx['guard'] = new Guard;
        var_dump($ctx instanceof Swoole\Coroutine\Context, $ctx instanceof ArrayObject);
        $hold->pop();
        echo "coroutine ends\n";
    });
    var_dump(Coroutine::getContext($c)['guard'] instanceof Guard);
    Swoole\Event::defer(fn() => $hold->push(true));
    Coroutine::join([$c]);
    var_dump(Coroutine::getuid() === Coroutine::getCid(), in_array(Coroutine::getCid(), iterator_to_array(Coroutine::listCoroutines())));

    Coroutine::set(['c_stack_size' => '256K', 'enable_deadlock_check' => true, 'log_level' => SWOOLE_LOG_WARNING,
                    'hook_flags' => SWOOLE_HOOK_ALL, 'socket_timeout' => 3, 'aio_worker_num' => 8, 'dns_cache_expire' => 60]);
    var_dump(Coroutine::stats()['stack_size'] ?? null, ini_get('default_socket_timeout'), count(Coroutine::getOptions()));
    foreach ([['enable_preemptive_scheduler' => true], ['c_stack_size' => '8K'], ['stack_size' => 'lots']] as $bad) {
        try { Coroutine::set($bad); } catch (ValueError $e) { echo get_class($e), ': ', $e->getMessage(), "\n"; }
    }
    try { Coroutine::join([Coroutine::getCid()]); } catch (ValueError $e) { echo $e->getMessage(), "\n"; }
    try { Coroutine::join(['x']); } catch (TypeError $e) { echo $e->getMessage(), "\n"; }
    $release->push(true);
    var_dump(Coroutine::join([$slow]));
});
?>
--EXPECTF--
array(0) {
}
bool(true)
array(2) {
  [0]=>
  string(1) "a"
  [1]=>
  string(1) "b"
}
bool(true)
bool(false)
bool(true)
bool(true)
int(-1)
yield < deep < deep < deep < {closure}
#0 %s(%d): Swoole\Coroutine::yield()
#1 %s(%d): deep(0)
{closure}
bool(false)
bool(false)
bool(true)
bool(true)
bool(true)
bool(true)
coroutine ends
context freed
bool(true)
bool(true)
int(262144)
string(1) "3"
int(7)
ValueError: Swoole\Coroutine::set(): Argument #1 ($options) option "enable_preemptive_scheduler" is not supported: Tide's scheduler is cooperative
ValueError: Swoole\Coroutine::set(): Argument #1 ($options) option "c_stack_size" must be between 16384 and 1073741824 bytes
ValueError: Swoole\Coroutine::set(): Argument #1 ($options) option "stack_size": Invalid quantity "lots": no valid leading digits, interpreting as "0" for backwards compatibility
Swoole\Coroutine::join(): Argument #1 ($cids) must not contain the calling coroutine's own id (#1)
Swoole\Coroutine::join(): Argument #1 ($cids) must contain only coroutine ids (int), string given
bool(true)
