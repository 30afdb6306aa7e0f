--TEST--
Server lifecycle: max_request=3 with one worker: the worker is replaced after every 3 requests and requests keep being served
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        function say(string $l): void { echo $l . "\n"; }
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 1, 'max_request' => 3]);
        $s->on('workerStart', fn($s, $id) => say("READY {$s->ports[0]->port} $id " . getmypid()));
        $s->on('workerStop', fn($s, $id) => say("workerStop $id " . getmypid()));
        $s->on('workerError', fn($s, $id, $pid, $code, $sig) => say("workerError $id $pid $code $sig"));
        $s->on('receive', function ($s, $fd, $rid, $data) {
            static $n = 0;
            $n++;
            $s->send($fd, "$data " . getmypid() . " $n\n");
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(1);
    $seq = [];
    $errors = [];
    $conn = null;
    for ($i = 1; $i <= 9; $i++) {
        /* MODE_PROCESS: one connection throughout (the master keeps it). MODE_BASE: a connection lives
         * with its worker, so a new one for each request; its worker may be on its way out, which
         * closes it: then the request is sent again on a new connection. */
        $reply = '';
        for ($try = 0; $try < 20 && $reply === ''; $try++) {
            if (!$conn || $mode === Tide\MODE_BASE) {
                $conn = @stream_socket_client("tcp://127.0.0.1:{$srv->port}", $errno, $errstr, 2);
                if (!$conn) {
                    $GLOBALS['refused'] = ($GLOBALS['refused'] ?? 0) + 1;
                    /* Nobody listens while the only worker is replaced (MODE_BASE); wait for the next one. */
                    $srv->waitFor('READY ', count($srv->readyLines()) + 1, 1);
                    continue;
                }
                stream_set_timeout($conn, 2);
            }
            fwrite($conn, "q$i");
            $reply = tide_read_until($conn, "\n", 2);
            if ($reply === '' && $mode === Tide\MODE_PROCESS) break;
        }
        if (!preg_match("/^q$i (\d+) (\d+)\n$/", $reply, $m)) {
            $errors[] = "q$i: " . json_encode($reply);
            continue;
        }
        $seq[] = [(int) $m[1], (int) $m[2]];
    }
    $srv->waitFor('READY ', 4, 3);
    $lines = $srv->readyLines();
    $status = $srv->stop();
    /* Expected: pids A A A B B B C C C, and request counts 1 2 3 per pid. */
    $pids = array_column($seq, 0);
    $groups = array_chunk($pids, 3);
    $shape = count($seq) === 9 && count(array_unique($pids)) === 3
        && array_map(fn($g) => count(array_unique($g)), $groups) === [1, 1, 1]
        && array_column($seq, 1) === [1, 2, 3, 1, 2, 3, 1, 2, 3];
    $readyPids = array_map(fn($l) => (int) $l[3], $lines);
    echo "$name: replaced every 3 requests=", var_export($shape, true),
        " answered by started workers=", var_export(!array_diff(array_unique($pids), $readyPids), true),
        " READY lines=", count($lines), " workerStop=", substr_count($srv->out(), "workerStop 0"),
        " workerError=", substr_count($srv->out(), 'workerError'),
        " errors=", json_encode($errors), " status=$status\n";
    if (getenv('LIFE_DEBUG')) fprintf(STDERR, "$name refused=" . ($GLOBALS['refused'] ?? 0) . "\n");
    if (!$shape || $errors) echo json_encode($seq), "\n", $srv->out(), $srv->err();
}
?>
--EXPECT--
process: replaced every 3 requests=true answered by started workers=true READY lines=4 workerStop=4 workerError=0 errors=[] status=0
base: replaced every 3 requests=true answered by started workers=true READY lines=4 workerStop=4 workerError=0 errors=[] status=0
