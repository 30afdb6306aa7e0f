--TEST--
Server lifecycle: a manager killed with SIGKILL ends the server with an error, never with exit status 0 (MODE_PROCESS: start() throws Tide\Exception naming the signal; MODE_BASE: the killed process is the server), and leaves no worker behind, also a worker stuck in blocking code that dropped to another user (the kernel forgets a process's parent-death signal when its credentials change)
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

$asRoot = preg_match('/^Uid:\s+0\s/m', (string) @file_get_contents('/proc/self/status'))
    && getenv('USE_ZEND_ALLOC') !== '0'; /* valgrind cannot follow a worker to another user */
$cases = [];
foreach (TIDE_MODES as $mode => $name) {
    $cases["$name"] = [$mode, '[]'];
    $cases["$name, workers as nobody"] = [$mode, $asRoot ? "['user' => 'nobody']" : '[]'];
}
/* Asleep in a coroutine (a hooked sleep()): it stops on the signal, and leaves after
 * max_wait_time on its own, since the manager that would kill it is gone. */
$cases['process, asleep in a coroutine'] = [Tide\MODE_PROCESS, "['max_wait_time' => 1]", true];
foreach ($cases as $name => [$mode, $user]) {
    $hooked = $cases[$name][2] ?? false;
    $srv = new TideServerProc(<<<PHP
        \$s = new Tide\\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        \$s->set(['worker_num' => 1] + $user);
    PHP . <<<'PHP'

        $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
        $s->on('managerStart', fn($s) => print("MANAGER " . getmypid() . "\n"));
        $s->on('receive', function ($s, $fd, $r, $d) {
            if (!getenv('HOOKED')) {
                Tide\Runtime::setHookFlags(0); /* sleep() blocks the whole worker */
            }
            echo "STUCK\n";
            sleep(30); /* blocking: the worker does not run its loop, only a signal ends it */
        });
        $s->start();
        echo "start() returned\n";
    PHP, $mode, ['HOOKED' => $hooked ? '1' : '0']);
    $srv->waitReady(1);
    $c = tide_connect($srv->port);
    fwrite($c, 'x');
    $srv->waitFor('STUCK', 1, 5);
    preg_match('/^MANAGER (\d+)$/m', $srv->out(), $m);
    $manager = (int) ($m[1] ?? 0);
    $workers = array_values($srv->workerPids);
    $srv->signal($manager, 'KILL');
    $deadline = microtime(true) + 10;
    while ($srv->running() && microtime(true) < $deadline) {
        usleep(10000);
    }
    /* Workers leave on their own (their parent-death signal), within a few seconds. */
    /* (not is_dir(): PHP caches the last stat) */
    $alive = fn() => array_filter($workers, fn($p) => ($st = @file_get_contents("/proc/$p/stat")) !== false && !str_contains($st, ') Z '));
    $deadline = microtime(true) + 5;
    while ($alive() && microtime(true) < $deadline) {
        usleep(20000);
    }
    $left = $alive();
    $status = $srv->stop();
    echo "$name: exit status ", $status === 0 ? '0' : 'non-zero', ', ',
        str_contains($srv->out() . $srv->err(), 'the manager process was killed by signal 9') ? 'says the manager was killed' : ($mode === Tide\MODE_BASE ? 'killed itself' : 'SILENT: ' . $srv->err()),
        ', caller code after start(): ', str_contains($srv->out(), 'start() returned') ? 'ran' : 'did not run',
        ', workers left: ', count($left), "\n";
}
?>
--EXPECT--
process: exit status non-zero, says the manager was killed, caller code after start(): did not run, workers left: 0
process, workers as nobody: exit status non-zero, says the manager was killed, caller code after start(): did not run, workers left: 0
base: exit status non-zero, killed itself, caller code after start(): did not run, workers left: 0
base, workers as nobody: exit status non-zero, killed itself, caller code after start(): did not run, workers left: 0
process, asleep in a coroutine: exit status non-zero, says the manager was killed, caller code after start(): did not run, workers left: 0
