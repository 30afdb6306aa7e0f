--TEST--
Server lifecycle: log_level filters the server's log lines (2 info and up, 4 warnings and up, 5 errors only, 6 none)
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

foreach (TIDE_MODES as $mode => $name) {
    foreach ([null, 4, 5, 6] as $level) {
        $srv = new TideServerProc(<<<'PHP'
            function say(string $l): void { echo $l . "\n"; }
            $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
            $set = ['worker_num' => 1];
            if (getenv('LIFE_LEVEL') !== '') $set['log_level'] = (int) getenv('LIFE_LEVEL');
            $s->set($set);
            $s->on('workerStart', fn($s, $id) => say("READY {$s->ports[0]->port} $id " . getmypid()));
            $s->on('managerStart', fn($s) => say("manager " . getmypid()));
            $s->on('afterReload', fn($s) => say("afterReload"));
            $s->on('receive', function ($s, $fd, $rid, $data) {
                if ($data === 'THROW') throw new RuntimeException('an error line');
                $s->send($fd, "ok");
            });
            $s->start();
        PHP, $mode, ['LIFE_LEVEL' => $level ?? '']);
        $srv->waitReady(1);
        preg_match('/^manager (\d+)$/m', $srv->out(), $m);
        /* INFO: a reload ("reloading 1 worker(s)"). */
        $srv->signal((int) $m[1], 'USR1');
        $srv->waitFor('afterReload', 1, 5);
        $srv->waitFor('READY ', 2, 5);
        $srv->readyLines();
        /* ERROR: an uncaught exception; the worker answers the next request after it. */
        $c = tide_connect($srv->port);
        fwrite($c, "THROW");
        $c2 = tide_connect($srv->port);
        fwrite($c2, "ping");
        $ok = tide_read_until($c2, "ok", 5) === 'ok';
        /* WARNING: a worker killed by a signal. */
        $srv->signal($srv->workerPids[0], 'KILL');
        $srv->waitFor('READY ', 3, 5);
        $c3 = tide_connect($srv->port);
        fwrite($c3, "ping");
        $ok = $ok && tide_read_until($c3, "ok", 5) === 'ok';
        $status = $srv->stop();
        $log = $srv->err();
        $seen = [];
        foreach (['INFO', 'WARNING', 'ERROR'] as $l) {
            if (preg_match("/^\[[^]]+\] $l /m", $log)) $seen[] = $l;
        }
        echo "$name log_level=", $level ?? 'default', ": ", implode(',', $seen) ?: 'nothing',
            " served=", var_export($ok, true), " status=$status\n";
    }
}
?>
--EXPECT--
process log_level=default: INFO,WARNING,ERROR served=true status=0
process log_level=4: WARNING,ERROR served=true status=0
process log_level=5: ERROR served=true status=0
process log_level=6: nothing served=true status=0
base log_level=default: INFO,WARNING,ERROR served=true status=0
base log_level=4: WARNING,ERROR served=true status=0
base log_level=5: ERROR served=true status=0
base log_level=6: nothing served=true status=0
