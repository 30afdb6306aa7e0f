--TEST--
Server lifecycle: SIGTERM to the master is a graceful shutdown; a request in progress gets its reply; a stuck worker is killed after max_wait_time
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

const SCRIPT = <<<'PHP'
    function say(string $l): void { echo $l . "\n"; }
    $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
    $s->set(['worker_num' => 2, 'max_wait_time' => 1]);
    $s->on('workerStart', fn($s, $id) => say("READY {$s->ports[0]->port} $id " . getmypid()));
    $s->on('workerStop', fn($s, $id) => say("workerStop $id"));
    $s->on('receive', function ($s, $fd, $rid, $data) {
        if ($data === 'SLOW') {
            say("GOT SLOW");
            Tide\Coroutine::sleep(0.5);
            $s->send($fd, "DONE");
        } elseif ($data === 'STUCK') {
            say("GOT STUCK");
            while (true) {
                Tide\Coroutine::sleep(0.05);
            }
        } else {
            $s->send($fd, $data);
        }
    });
    $s->on('shutdown', fn($s) => say("shutdown"));
    var_dump($s->start());
PHP;

/* True when the peer closed (EOF or reset) within $timeout; false while it stays open.
 * (tide_closed_by_peer() also says true when the read merely timed out.) */
function peer_closed($c, float $timeout): bool
{
    $deadline = microtime(true) + $timeout;
    stream_set_timeout($c, 0, 100000);
    while (microtime(true) < $deadline) {
        $r = @fread($c, 65536);
        if (feof($c)) return true;
        if ($r === false && !stream_get_meta_data($c)['timed_out']) return true;
    }
    return false;
}

function wait_exit(TideServerProc $srv, float $timeout): float
{
    $t0 = microtime(true);
    while ($srv->running() && microtime(true) - $t0 < $timeout) {
        usleep(10000);
    }
    return microtime(true) - $t0;
}

foreach (TIDE_MODES as $mode => $name) {
    /* A request in progress when SIGTERM arrives. */
    $srv = new TideServerProc(SCRIPT, $mode);
    $srv->waitReady(2);
    $pids = $srv->workerPids;
    $c = tide_connect($srv->port);
    fwrite($c, "SLOW");
    $got = $srv->waitFor('GOT SLOW', 1, 5);
    $srv->signal($srv->pid, 'TERM');
    $reply = tide_read_until($c, 'DONE', 5);
    $eof = peer_closed($c, 5);
    $took = wait_exit($srv, 10);
    $running = $srv->running();
    $status = $srv->stop();
    $left = array_filter($pids, fn($p) => is_dir("/proc/$p") && !str_contains((string) @file_get_contents("/proc/$p/stat"), ') Z '));
    echo "$name graceful: got=", var_export($got, true), " reply=", json_encode($reply),
        " eof=", var_export($eof, true), " exited=", var_export(!$running, true),
        " in time=", var_export($took < 5, true), " status=$status",
        " workerStop=", substr_count($srv->out(), 'workerStop'),
        " shutdown=", substr_count($srv->out(), 'shutdown'), " start returned=", substr_count($srv->out(), 'bool(true)'),
        " workers left=", count($left), "\n";
    if ($reply !== 'DONE' || $status !== 0) echo $srv->out(), $srv->err();

    /* A worker that never finishes: killed after max_wait_time (1 s). */
    $srv = new TideServerProc(SCRIPT, $mode);
    $srv->waitReady(2);
    $pids = $srv->workerPids;
    $c = tide_connect($srv->port);
    fwrite($c, "STUCK");
    $got = $srv->waitFor('GOT STUCK', 1, 5);
    $t0 = microtime(true);
    $srv->signal($srv->pid, 'TERM');
    $took = wait_exit($srv, 10);
    $running = $srv->running();
    $eof = peer_closed($c, 2);
    $status = $srv->stop();
    $left = array_filter($pids, fn($p) => is_dir("/proc/$p") && !str_contains((string) @file_get_contents("/proc/$p/stat"), ') Z '));
    echo "$name stuck: got=", var_export($got, true), " exited=", var_export(!$running, true),
        " after max_wait=", var_export($took >= 0.9, true), " bounded=", var_export($took < 5, true),
        " eof=", var_export($eof, true), " status=$status",
        " killed logged=", var_export(str_contains($srv->err(), 'did not stop within max_wait_time'), true),
        " shutdown=", substr_count($srv->out(), 'shutdown'), " workers left=", count($left), "\n";
    if ($running || $took >= 5 || $took < 0.9 || $status !== 0) printf("took %.2f s\n%s%s", $took, $srv->out(), $srv->err());
}
?>
--EXPECT--
process graceful: got=true reply="DONE" eof=true exited=true in time=true status=0 workerStop=2 shutdown=1 start returned=1 workers left=0
process stuck: got=true exited=true after max_wait=true bounded=true eof=true status=0 killed logged=true shutdown=1 workers left=0
base graceful: got=true reply="DONE" eof=true exited=true in time=true status=0 workerStop=2 shutdown=1 start returned=1 workers left=0
base stuck: got=true exited=true after max_wait=true bounded=true eof=true status=0 killed logged=true shutdown=1 workers left=0
