--TEST--
Server faults: an uncaught exception in a receive callback is logged with its message and trace; the same worker keeps serving
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

foreach (TIDE_MODES as $mode => $name) {
    foreach ([true, false] as $coro) {
        $srv = new TideServerProc(<<<'PHP'
            function say(string $l): void { echo $l . "\n"; }
            function deep_thrower(string $what): void
            {
                if ($what === 'THROW') throw new RuntimeException("boom from the receive callback");
                if ($what === 'LATE') {
                    Tide\Coroutine::sleep(0.01);
                    throw new LogicException("late boom after a suspension");
                }
                tide_undefined_function_xyz();
            }
            $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
            $s->set(['worker_num' => 1, 'open_eof_split' => true, 'package_eof' => "\n",
                     'enable_coroutine' => (bool) getenv('LIFE_CORO')]);
            $s->on('workerStart', fn($s, $id) => say("READY {$s->ports[0]->port} $id " . getmypid()));
            $s->on('workerError', fn($s, $id, $pid, $code, $sig) => say("workerError $id $pid $code $sig"));
            $s->on('receive', function ($s, $fd, $rid, $data) {
                $data = rtrim($data);
                if ($data === 'PID') {
                    $s->send($fd, getmypid() . "\n");
                    return;
                }
                deep_thrower($data);
                $s->send($fd, "not reached\n");
            });
            $s->start();
        PHP, $mode, ['LIFE_CORO' => $coro ? '1' : '0']);
        $srv->waitReady(1);
        $pid = $srv->workerPids[0];
        $c = tide_connect($srv->port);
        $served = [];
        $kinds = $coro ? ['THROW', 'LATE', 'UNDEF'] : ['THROW', 'UNDEF'];
        foreach ($kinds as $k) {
            fwrite($c, "$k\n");
            fwrite($c, "PID\n");
            /* The exception's request gets no reply; the next one is answered by the same worker. */
            $served[$k] = tide_read_until($c, "\n", 5) === "$pid\n";
        }
        $err = $srv->out() . $srv->err();
        $logged = [
            'RuntimeException' => (bool) preg_match('/Uncaught RuntimeException: boom from the receive callback in \S+server\.php:\d+\s*\nStack trace:\n#0 .*deep_thrower\(\'THROW\'\)/', $err),
            'Error' => (bool) preg_match('/Uncaught Error: Call to undefined function tide_undefined_function_xyz\(\) in \S+server\.php:\d+\s*\nStack trace:\n#0 .*deep_thrower\(\'UNDEF\'\)/', $err),
        ];
        if ($coro) {
            $logged['LogicException after sleep'] = (bool) preg_match('/Uncaught LogicException: late boom after a suspension in \S+server\.php:\d+\s*\nStack trace:\n#0 /', $err);
        }
        $status = $srv->stop();
        $same = count($srv->readyLines()) === 1;
        echo "$name enable_coroutine=", var_export($coro, true), ": served after=", json_encode($served),
            " logged=", json_encode($logged), " same worker=", var_export($same, true),
            " workerError=", substr_count($srv->out(), 'workerError'), " status=$status\n";
        if (in_array(false, $served + $logged, true) || !$same) echo $err;
    }
}
?>
--EXPECT--
process enable_coroutine=true: served after={"THROW":true,"LATE":true,"UNDEF":true} logged={"RuntimeException":true,"Error":true,"LogicException after sleep":true} same worker=true workerError=0 status=0
process enable_coroutine=false: served after={"THROW":true,"UNDEF":true} logged={"RuntimeException":true,"Error":true} same worker=true workerError=0 status=0
base enable_coroutine=true: served after={"THROW":true,"LATE":true,"UNDEF":true} logged={"RuntimeException":true,"Error":true,"LogicException after sleep":true} same worker=true workerError=0 status=0
base enable_coroutine=false: served after={"THROW":true,"UNDEF":true} logged={"RuntimeException":true,"Error":true} same worker=true workerError=0 status=0
