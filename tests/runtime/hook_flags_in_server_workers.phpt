--TEST--
Runtime hooks in server workers: on (HOOK_ALL) by default, so the second of two coroutines of a request starts while the first is in usleep(); the server setting hook_flags => 0 turns them off (the first sleeps to its end before the second starts), and is what Runtime::getHookFlags() says in the workers; a hook_flags with unknown bits is a ValueError naming the setting; in both modes
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

foreach ([[TIDE_MODES, null], [[Tide\MODE_BASE => 'base'], 0]] as [$modes, $flags]) {
    foreach ($modes as $mode => $name) {
        $srv = new TideServerProc(<<<'PHP'
            $flags = getenv('HOOKS') === 'default' ? null : (int) getenv('HOOKS');
            $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
            $s->set(['worker_num' => 1, 'open_eof_split' => true, 'package_eof' => "\n", 'log_level' => 4]
                    + ($flags === null ? [] : ['hook_flags' => $flags]));
            $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
            $s->on('receive', function ($s, $fd, $rid, $line) {
                $wg = new Tide\Coroutine\WaitGroup(2);
                $order = [];
                for ($i = 0; $i < 2; $i++) {
                    Tide\go(function () use ($wg, $i, &$order) {
                        $order[] = "start $i";
                        usleep(1000 + 20000 * $i);
                        $order[] = "end $i";
                        $wg->done();
                    });
                }
                $wg->wait();
                $s->send($fd, sprintf("flags %s, %s\n",
                    Tide\Runtime::getHookFlags() === Tide\HOOK_ALL ? 'HOOK_ALL' : Tide\Runtime::getHookFlags(),
                    implode(', ', $order)));
            });
            $s->start();
        PHP, $mode, ['HOOKS' => $flags ?? 'default']);
        $srv->waitReady(1);
        $c = tide_connect($srv->port);
        fwrite($c, "go\n");
        echo "$name, hook_flags ", var_export($flags, true), ": ", trim((string) fgets($c)), "\n";
        $srv->stop();
    }
}
$s = new Tide\Server('127.0.0.1', 0);
$s->on('receive', fn() => null);
try {
    $s->set(['hook_flags' => 1 << 20]);
    $s->start();
} catch (ValueError $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
?>
--EXPECT--
process, hook_flags NULL: flags HOOK_ALL, start 0, start 1, end 0, end 1
base, hook_flags NULL: flags HOOK_ALL, start 0, start 1, end 0, end 1
base, hook_flags 0: flags 0, start 0, end 0, start 1, end 1
ValueError: Setting 'hook_flags' must be between 0 and 8190, 1048576 given
