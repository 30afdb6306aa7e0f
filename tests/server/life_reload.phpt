--TEST--
Server lifecycle: SIGUSR1 to the manager and $server->reload() replace every worker; beforeReload/afterReload; connections stay usable in MODE_PROCESS
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

function connect(int $port, array &$errors)
{
    try {
        return tide_connect($port, '127.0.0.1', 2);
    } catch (RuntimeException $e) {
        $errors[] = $e->getMessage();
        return false;
    }
}

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        function say(string $l): void { echo $l . "\n"; }
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 2, 'open_eof_split' => true, 'package_eof' => "\n", 'max_wait_time' => 1]);
        $s->on('workerStart', fn($s, $id) => say("READY {$s->ports[0]->port} $id " . getmypid()));
        /* Slow to stop, so that the reload takes a while and requests come during it. */
        $s->on('workerStop', function ($s, $id) { Tide\Coroutine::sleep(0.2); say("workerStop $id " . getmypid()); });
        $s->on('beforeReload', fn($s) => say("beforeReload " . getmypid()));
        $s->on('afterReload', fn($s) => say("afterReload " . getmypid()));
        $s->on('managerStart', fn($s) => say("manager " . getmypid()));
        $s->on('receive', function ($s, $fd, $rid, $data) {
            $data = rtrim($data);
            if ($data === 'RELOAD') {
                $s->send($fd, "reload " . var_export($s->reload(), true) . "\n");
                return;
            }
            $s->send($fd, "$data " . $s->worker_id . " " . getmypid() . "\n");
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(2);
    preg_match('/^manager (\d+)$/m', $srv->out(), $m);
    $manager = (int) ($m[1] ?? 0);
    $gen = [$srv->workerPids];
    $conns = [tide_connect($srv->port), tide_connect($srv->port)];
    $errors = [];
    $n = 0;
    /* One round trip on connection $i; returns the pid that answered, 0 on failure. */
    $trip = function (int $i) use (&$conns, &$errors, &$n, $name): int {
        $n++;
        $msg = "m$n";
        if (@fwrite($conns[$i], "$msg\n") === false) {
            $errors[] = "write $msg on $i failed";
            return 0;
        }
        $r = tide_read_until($conns[$i], "\n", 2);
        if (!preg_match("/^$msg (\d) (\d+)\n$/", $r, $mm)) {
            $errors[] = "conn $i: $msg got " . json_encode($r);
            return 0;
        }
        return (int) $mm[2];
    };
    foreach ([0, 1] as $i) $trip($i);

    $results = [];
    foreach (['SIGUSR1', 'reload()'] as $k => $how) {
        $before = count($srv->readyLines());
        if ($how === 'SIGUSR1') {
            $srv->signal($manager, 'USR1');
        } else {
            $c = connect($srv->port, $errors);
            if ($c) {
                fwrite($c, "RELOAD\n");
                $results[] = "$how returned " . trim(tide_read_until($c, "\n", 2));
                fclose($c);
            }
        }
        /* Round trips while the workers are replaced (MODE_PROCESS: the same connections). */
        $deadline = microtime(true) + 5;
        $during = 0;
        while (!$srv->waitFor('afterReload', $k + 1, 0.01) && microtime(true) < $deadline && !$errors) {
            if ($mode === Tide\MODE_PROCESS) {
                $trip($during++ % 2);
            }
        }
        $done = $srv->waitFor('READY ', $before + 2, 3);
        $lines = $srv->readyLines();
        $new = $srv->workerPids;
        $gen[] = $new;
        $old = $gen[count($gen) - 2];
        $replaced = $done && count($lines) === $before + 2 && !array_intersect($new, $old) && count(array_unique($new)) === 2;
        if ($mode === Tide\MODE_PROCESS) {
            /* The connections made before the reload still work, answered by the new workers. */
            $answered = [$trip(0), $trip(1)];
        } else {
            /* A connection lives and dies with its worker: new ones work. */
            $conns = [connect($srv->port, $errors), connect($srv->port, $errors)];
            $answered = in_array(false, $conns, true) ? [0, 0] : [$trip(0), $trip(1)];
        }
        $byNew = !array_diff($answered, $new) && !in_array(0, $answered, true);
        $results[] = "$how: replaced=" . var_export($replaced, true) . " answered by new workers=" . var_export($byNew, true)
            . " trips during reload=" . ($mode === Tide\MODE_PROCESS ? var_export($during > 0, true) : 'n/a');
    }
    $out = $srv->out();
    $hooks = preg_match_all("/^(beforeReload|afterReload) $manager$/m", $out);
    $stops = preg_match_all('/^workerStop \d \d+$/m', $out);
    /* Each reload: beforeReload, then both old workers stop, then afterReload. */
    $order = (bool) preg_match('/^beforeReload .*?^workerStop .*?^workerStop .*?^afterReload .*?^beforeReload .*?^workerStop .*?^workerStop .*?^afterReload /ms', $out);
    $status = $srv->stop();
    foreach ($results as $r) echo "$name $r\n";
    echo "$name: hooks in the manager=$hooks workerStop during reloads=$stops order=", var_export($order, true),
        " errors=", json_encode($errors), " status=$status\n";
    if ($errors || $status !== 0) echo $out, $srv->err();
}
?>
--EXPECT--
process SIGUSR1: replaced=true answered by new workers=true trips during reload=true
process reload() returned reload true
process reload(): replaced=true answered by new workers=true trips during reload=true
process: hooks in the manager=4 workerStop during reloads=4 order=true errors=[] status=0
base SIGUSR1: replaced=true answered by new workers=true trips during reload=n/a
base reload() returned reload true
base reload(): replaced=true answered by new workers=true trips during reload=n/a
base: hooks in the manager=4 workerStop during reloads=4 order=true errors=[] status=0
