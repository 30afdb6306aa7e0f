--TEST--
Server lifecycle: workers running as 'nobody' can still reload() and shutdown() a server whose master runs as root
--SKIPIF--
<?php
if (getenv('USE_ZEND_ALLOC') === '0') die('skip valgrind cannot clean up its vgdb pipes once a worker drops to another user (USE_ZEND_ALLOC=0 marks a valgrind run)');
if (!preg_match('/^Uid:\s+0\s/m', (string) @file_get_contents('/proc/self/status'))) die('skip needs root');
if (!preg_match('/^nobody:/m', (string) @file_get_contents('/etc/passwd'))) die('skip no user nobody');
?>
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 1, 'user' => 'nobody']);
        $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
        $s->on('receive', function ($s, $fd, $rid, $data) {
            $ok = $data === 'reload' ? $s->reload() : $s->shutdown();
            $s->send($fd, var_export($ok, true));
        });
        $s->on('shutdown', fn() => print("shutdown\n"));
        $s->start();
    PHP, $mode);
    $srv->waitReady(1);
    $c = tide_connect($srv->port);
    fwrite($c, 'reload');
    echo "$name: reload() ", tide_read_n($c, 4), ", ";
    echo $srv->waitFor('READY ', 2) ? "a new worker started" : "no new worker", ", ";
    $srv->readyLines();
    $c = tide_connect($srv->port);
    fwrite($c, 'shutdown');
    echo "shutdown() ", tide_read_n($c, 4), ", ";
    $deadline = microtime(true) + 10;
    while ($srv->running() && microtime(true) < $deadline) usleep(10000);
    echo $srv->running() ? "still running" : "stopped", ", ", substr_count($srv->out(), "shutdown\n"), " shutdown event\n";
    $srv->stop();
}
?>
--EXPECT--
process: reload() true, a new worker started, shutdown() true, stopped, 1 shutdown event
base: reload() true, a new worker started, shutdown() true, stopped, 1 shutdown event
