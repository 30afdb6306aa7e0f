--TEST--
Runtime hooks in server workers: on (HOOK_ALL) by default, so two usleep(200000) in two coroutines of a request overlap; the server setting hook_flags => 0 turns them off (they take their sum), and is what Runtime::getHookFlags() says in the workers; a hook_flags with unknown bits is a ValueError naming the setting; in both modes
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
                $t = microtime(true);
                $wg = new Tide\Coroutine\WaitGroup(2);
                for ($i = 0; $i < 2; $i++) {
                    Tide\go(function () use ($wg) { usleep(200000); $wg->done(); });
                }
                $wg->wait();
                $took = microtime(true) - $t;
                $s->send($fd, sprintf("flags %s, two usleep(200000) %s\n",
                    Tide\Runtime::getHookFlags() === Tide\HOOK_ALL ? 'HOOK_ALL' : Tide\Runtime::getHookFlags(),
                    $took < 0.35 ? 'overlap' : 'take their sum'));
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
process, hook_flags NULL: flags HOOK_ALL, two usleep(200000) overlap
base, hook_flags NULL: flags HOOK_ALL, two usleep(200000) overlap
base, hook_flags 0: flags 0, two usleep(200000) take their sum
ValueError: Setting 'hook_flags' must be between 0 and 8190, 1048576 given
