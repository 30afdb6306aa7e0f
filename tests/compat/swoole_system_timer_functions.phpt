--TEST--
tide.swoole_compat=On, written as a Swoole user writes it: Co\System::exec() (code, signal, output, stderr), five concurrent exec() of a 0.3 s command finish together, gethostbyname/dnsLookup/getaddrinfo, readFile/writeFile (FILE_APPEND), waitPid, waitEvent, statvfs, System::sleep; Timer::exists/stats and the swoole_timer_* functions; swoole_coroutine_create/defer, swoole_last_error after a failure, swoole_clear_error, swoole_get_local_ip; the errors for bad arguments
--SKIPIF--
<?php if (!function_exists('pcntl_fork')) die('skip pcntl_fork() is not available (ext/pcntl)'); ?>
--INI--
tide.swoole_compat=On
--FILE--
<?php
use Swoole\Coroutine\System;
use Swoole\Timer;

Co\run(function () {
    $r = System::exec('echo out; echo err >&2; exit 3', true);
    var_dump($r['code'], $r['signal'], $r['output']);
    var_dump(System::exec('kill -9 $$')['signal'], System::exec('echo x 2>/dev/null')['output']);

    $t = microtime(true);
    $wg = new Swoole\Coroutine\WaitGroup();
    for ($i = 0; $i < 5; $i++) {
        $wg->add();
        go(function () use ($wg) { System::exec('sleep 0.3'); $wg->done(); });
    }
    $wg->wait();
    $took = microtime(true) - $t;
    echo $took < 1.2 ? "concurrent\n" : "serial: $took\n";           // a serial run takes 1.5 s

    var_dump(System::gethostbyname('localhost'), System::dnsLookup('localhost'),
             System::getaddrinfo('localhost'), System::gethostbyname('no-such-host.invalid'));

    $f = tempnam(sys_get_temp_dir(), 'tide');
    var_dump(System::writeFile($f, "abc"), System::writeFile($f, "def", FILE_APPEND), System::readFile($f));
    unlink($f);
    var_dump(@System::readFile($f));

    $pid = pcntl_fork();                            // (proc_get_status() reaps on PHP >= 8.3)
    if ($pid === 0) {
        exit(7);
    }
    $st = System::waitPid($pid, 5);
    var_dump($st['pid'] === $pid, $st['code'], $st['signal']);

    [$a, $b] = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, 0);
    var_dump(System::waitEvent($a, SWOOLE_EVENT_READ, 0.01));
    go(function () use ($b) { System::sleep(0.01); fwrite($b, "x"); });
    var_dump(System::waitEvent($a, SWOOLE_EVENT_READ, 5), System::waitEvent($a, SWOOLE_EVENT_READ | SWOOLE_EVENT_WRITE, 5));
    var_dump(System::statvfs('/')['bsize'] > 0);

    $fired = new Swoole\Coroutine\Channel(2);
    $id = Timer::after(50, function () use ($fired) { $fired->push('after fired'); });
    var_dump(Timer::exists($id), swoole_timer_exists($id), Timer::stats()['num'] >= 1, Timer::stats()['initialized']);
    $tick = swoole_timer_tick(10, function (int $tid) use ($fired) { static $n = 0; if (++$n === 2) { swoole_timer_clear($tid); $fired->push('tick cleared'); } });
    var_dump(in_array($tick, iterator_to_array(swoole_timer_list())), swoole_timer_info($tick)['interval']);
    var_dump(Timer::exists(987654), swoole_timer_stats()['round'] >= 0);

    $cid = swoole_coroutine_create(function () { swoole_coroutine_defer(function () { echo "deferred\n"; }); echo "created\n"; });
    var_dump(is_int($cid));
    try { new Swoole\Coroutine\Channel(1); Co::join([Co::getCid()]); } catch (ValueError $e) {}
    try { System::waitEvent(-5); } catch (ValueError $e) { echo get_class($e), "\n"; }
    try { System::readFile('/x', LOCK_EX); } catch (ValueError $e) { echo $e->getMessage(), "\n"; }
    try { System::gethostbyname('localhost', 99); } catch (ValueError $e) { echo $e->getMessage(), "\n"; }
    var_dump(is_array(swoole_get_local_ip()));
    swoole_clear_error();
    var_dump(swoole_last_error());
    $got = [$fired->pop(5), $fired->pop(5)];
    sort($got);                                     // which comes first depends on the load
    echo implode("\n", $got), "\n";
});
?>
--EXPECT--
int(3)
int(0)
string(8) "out
err
"
int(9)
string(2) "x
"
concurrent
string(9) "127.0.0.1"
string(9) "127.0.0.1"
array(1) {
  [0]=>
  string(9) "127.0.0.1"
}
bool(false)
int(3)
int(3)
string(6) "abcdef"
bool(false)
bool(true)
int(7)
int(0)
bool(false)
int(512)
int(1536)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
int(10)
bool(false)
bool(true)
created
deferred
bool(true)
ValueError
Swoole\Coroutine\System::readFile(): Argument #2 ($flag) must be 0: Tide takes no lock for a read
Swoole\Coroutine\System::gethostbyname(): Argument #2 ($type) must be AF_INET (2) or AF_INET6 (10)
bool(true)
int(0)
after fired
tick cleared
