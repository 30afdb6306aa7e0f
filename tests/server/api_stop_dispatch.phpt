--TEST--
Server: stop($workerId) and stop() replace workers (workerExit then workerStop run); dispatch_mode 1 and 4; enable_coroutine off
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

function ask($port, string $what): string
{
    $c = tide_connect($port);
    fwrite($c, "$what\n");
    return trim(tide_read_until($c, "\n"));
}

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 2, 'open_eof_split' => true, 'package_eof' => "\n",
                 'enable_coroutine' => false]);
        $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
        $s->on('workerExit', fn($s, $id) => print("exit $id\n"));
        $s->on('workerStop', fn($s, $id) => print("stop $id\n"));
        $s->on('receive', function ($s, $fd, $rid, $data) {
            $cmd = trim($data);
            if ($cmd === 'cid') {
                $s->send($fd, Tide\Coroutine::getCid() . "\n");
            } elseif ($cmd === 'stop-other') {
                $s->send($fd, var_export($s->stop(1 - $s->worker_id), true) . " {$s->worker_id}\n");
            } elseif ($cmd === 'stop-self') {
                $s->send($fd, var_export($s->stop(), true) . " {$s->worker_id}\n");
            }
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(2);
    echo "$name: getCid without coroutines: ", ask($srv->port, 'cid'), "\n";
    [$ok, $by] = explode(' ', ask($srv->port, 'stop-other'));
    $other = 1 - (int) $by;
    $replaced = $srv->waitFor('READY ', 3) && $srv->waitFor("stop $other", 1);
    echo "$name: stop(other) $ok, worker replaced: ", var_export($replaced, true),
        ", workerExit before workerStop: ",
        var_export(strpos($srv->out(), "exit $other") < strpos($srv->out(), "stop $other"), true), "\n";
    [$ok, $self] = explode(' ', ask($srv->port, 'stop-self'));
    echo "$name: stop() $ok, replaced: ", var_export($srv->waitFor('READY ', 4), true), "\n";
    $srv->stop();
}

/* dispatch_mode 1: the messages of one connection go round the workers, with no connect/close
 * events; 4: one client address always reaches the same worker. */
foreach ([1, 4] as $dm) {
    $srv = new TideServerProc(<<<PHP
        \$s = new Tide\Server('127.0.0.1', 0, Tide\MODE_PROCESS);
        \$s->set(['worker_num' => 2, 'open_eof_split' => true, 'package_eof' => "\\n", 'dispatch_mode' => $dm]);
        \$s->on('workerStart', fn(\$s, \$id) => tide_test_ready(\$s));
        \$s->on('connect', fn() => print("connect\\n"));
        \$s->on('close', fn() => print("close\\n"));
        \$s->on('receive', fn(\$s, \$fd, \$rid, \$data) => \$s->send(\$fd, \$s->worker_id . "\\n"));
        \$s->start();
    PHP, Tide\MODE_PROCESS);
    $srv->waitReady(2);
    $workers = [];
    for ($i = 0; $i < 3; $i++) {
        $c = tide_connect($srv->port);
        for ($j = 0; $j < 4; $j++) {
            fwrite($c, "x\n");
            $workers[$i][] = trim(tide_read_until($c, "\n"));
        }
        fclose($c);
    }
    $srv->stop();
    $out = $srv->out();
    if ($dm === 1) {
        echo "dispatch_mode 1: one connection reached both workers: ",
            var_export(count(array_unique($workers[0])) === 2, true),
            ", connect/close events: ", substr_count($out, "connect\n") + substr_count($out, "close\n"), "\n";
    } else {
        echo "dispatch_mode 4: all from one address reached one worker: ",
            var_export(count(array_unique(array_merge(...$workers))) === 1, true),
            ", connect events: ", substr_count($out, "connect\n"), "\n";
    }
}
?>
--EXPECT--
process: getCid without coroutines: -1
process: stop(other) true, worker replaced: true, workerExit before workerStop: true
process: stop() true, replaced: true
base: getCid without coroutines: -1
base: stop(other) true, worker replaced: true, workerExit before workerStop: true
base: stop() true, replaced: true
dispatch_mode 1: one connection reached both workers: true, connect/close events: 0
dispatch_mode 4: all from one address reached one worker: true, connect events: 3
