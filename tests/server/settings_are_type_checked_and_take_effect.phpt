--TEST--
Server settings: values are checked by type (a string for a number, a fraction or an out-of-range double for an integer, an array for a bool are ValueErrors naming the key); Swoole keys that mean nothing in Tide are accepted and named in one log line at start; keys of features not built yet throw naming the key
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

$s = new Tide\Server('127.0.0.1', 0, Tide\MODE_BASE);
function attempt(string $what, callable $fn): void
{
    try {
        $r = json_encode($fn());
        echo "$what: $r\n";
    } catch (Throwable $e) {
        echo "$what: ", get_class($e), ': ', $e->getMessage(), "\n";
    }
}
attempt('worker_num "4"', fn() => $s->set(['worker_num' => '4']));
attempt('worker_num 2.5', fn() => $s->set(['worker_num' => 2.5]));
attempt('worker_num 2.0', fn() => $s->set(['worker_num' => 2.0]));
attempt('worker_num 1e30', fn() => $s->set(['worker_num' => 1e30]));
attempt('worker_num NAN', fn() => $s->set(['worker_num' => NAN]));
attempt('max_request -1', fn() => $s->set(['max_request' => -1]));
attempt('max_wait_time "3"', fn() => $s->set(['max_wait_time' => '3']));
attempt('max_wait_time 0', fn() => $s->set(['max_wait_time' => 0]));
attempt('daemonize "yes"', fn() => $s->set(['daemonize' => 'yes']));
attempt('daemonize 2', fn() => $s->set(['daemonize' => 2]));
attempt('daemonize 1', fn() => $s->set(['daemonize' => 1, 'daemonize' => false]));
attempt('open_tcp_nodelay []', fn() => $s->set(['open_tcp_nodelay' => []]));
attempt('log_level 7', fn() => $s->set(['log_level' => 7]));
attempt('pid_file 5', fn() => $s->set(['pid_file' => 5]));
attempt('reactor_backend "kqueue"', fn() => $s->set(['reactor_backend' => 'kqueue']));
attempt('connection_max_inflight -1', fn() => $s->set(['connection_max_inflight' => -1]));
attempt('io_uring_entries 0', fn() => $s->set(['io_uring_entries' => 0]));
attempt('socket_buffer_size "lots"', fn() => $s->set(['socket_buffer_size' => 'lots']));
attempt('worker_num "2M"', fn() => $s->set(['worker_num' => '2M']));
attempt('hook_flags 1 << 20', fn() => $s->set(['hook_flags' => 1 << 20]));
attempt('task_worker_num -1', fn() => $s->set(['task_worker_num' => -1]));
attempt('task_enable_coroutine "yes"', fn() => $s->set(['task_enable_coroutine' => 'yes']));
attempt('task_ipc_mode 4', fn() => $s->set(['task_ipc_mode' => 4]));
attempt('io_uring_sqpoll', fn() => $s->set(['io_uring_sqpoll' => true]));
attempt('reactor_num "x"', fn() => $s->set(['reactor_num' => 'x']));
echo 'nothing refused was kept: ', json_encode($s->setting), "\n";

$srv = new TideServerProc(<<<'PHP'
    $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
    $s->set(['worker_num' => 1, 'reactor_num' => 4, 'reload_async' => true, 'io_uring_entries' => 64,
             'socket_buffer_size' => 1 << 20]);
    $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
    $s->on('receive', fn($s, $fd, $r, $d) => $s->send($fd, "ok\n"));
    $s->start();
PHP, Tide\MODE_PROCESS);
$srv->waitReady(1);
$c = tide_connect($srv->port);
fwrite($c, "x");
echo 'serves with io_uring_entries and socket_buffer_size: ', tide_read_until($c, "\n") === "ok\n" ? 'yes' : 'no', "\n";
$srv->stop();
preg_match_all('/.*no meaning in Tide.*/', $srv->err(), $m);
echo 'lines naming ignored keys: ', count($m[0]), "\n";
echo preg_replace('/^\[[^\]]*\] /', '', $m[0][0] ?? ''), "\n";
?>
--EXPECT--
worker_num "4": ValueError: Setting 'worker_num' must be an integer, string given
worker_num 2.5: ValueError: Setting 'worker_num' must be an integer, float given
worker_num 2.0: true
worker_num 1e30: ValueError: Setting 'worker_num' must be an integer, float given
worker_num NAN: ValueError: Setting 'worker_num' must be an integer, float given
max_request -1: ValueError: Setting 'max_request' must be between 0 and 9200000000000000000, -1 given
max_wait_time "3": ValueError: Setting 'max_wait_time' must be a number, string given
max_wait_time 0: ValueError: Setting 'max_wait_time' must be between 0.001 and 86400, 0 given
daemonize "yes": ValueError: Setting 'daemonize' must be a bool, string given
daemonize 2: ValueError: Setting 'daemonize' must be a bool, int given
daemonize 1: true
open_tcp_nodelay []: ValueError: Setting 'open_tcp_nodelay' must be a bool, array given
log_level 7: ValueError: Setting 'log_level' must be between 0 and 6, 7 given
pid_file 5: ValueError: Setting 'pid_file' must be a string, int given
reactor_backend "kqueue": ValueError: Setting 'reactor_backend' must be 'auto', 'io_uring' or 'epoll'
connection_max_inflight -1: ValueError: Setting 'connection_max_inflight' must be between 0 and 1048576, -1 given
io_uring_entries 0: ValueError: Setting 'io_uring_entries' must be between 1 and 32768, 0 given
socket_buffer_size "lots": ValueError: Setting 'socket_buffer_size': Invalid quantity "lots": no valid leading digits, interpreting as "0" for backwards compatibility
worker_num "2M": ValueError: Setting 'worker_num' must be an integer, string given
hook_flags 1 << 20: ValueError: Setting 'hook_flags' must be between 0 and 8190, 1048576 given
task_worker_num -1: ValueError: Setting 'task_worker_num' must be between 0 and 1024, -1 given
task_enable_coroutine "yes": ValueError: Setting 'task_enable_coroutine' must be a bool, string given
task_ipc_mode 4: ValueError: Setting 'task_ipc_mode' must be between 1 and 3, 4 given
io_uring_sqpoll: Tide\Exception: Setting 'io_uring_sqpoll': an SQPOLL ring is not available in this version of Tide
reactor_num "x": ValueError: Setting 'reactor_num' must be an integer, string given
nothing refused was kept: {"worker_num":2,"daemonize":false}
serves with io_uring_entries and socket_buffer_size: yes
lines naming ignored keys: 1
NOTICE settings that have no meaning in Tide, accepted and ignored: reactor_num (one reactor per process, no reactor threads), reload_async (a reload always lets workers finish)
