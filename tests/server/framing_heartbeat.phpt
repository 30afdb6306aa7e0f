--TEST--
Server limits: heartbeat_check_interval/heartbeat_idle_time close a connection idle for heartbeat_idle_time (onClose runs), never one that is active or idle for less
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

/* Waits for the server to close $c; the time it happened, or null after $timeout s. While
 * waiting, $tick() runs about every 0.1 s. */
function closed_at($c, float $timeout, callable $tick): ?float
{
    $deadline = microtime(true) + $timeout;
    stream_set_blocking($c, false);
    try {
        while (($now = microtime(true)) < $deadline) {
            $r = [$c];
            $w = $e = null;
            if (stream_select($r, $w, $e, 0, 100000) > 0) {
                $d = fread($c, 65536);
                if ($d === false || ($d === '' && feof($c))) {
                    return microtime(true);
                }
            }
            $tick();
        }
        return null;
    } finally {
        stream_set_blocking($c, true);
    }
}

/* Waits (on the clock) until the fractional part of the time is $frac; $tick() runs about
 * every 0.05 s meanwhile. */
function until_fraction(float $frac, ?callable $tick = null): void
{
    $now = microtime(true);
    $end = $now + fmod($frac - fmod($now, 1.0) + 2.0, 1.0);
    while (($left = $end - microtime(true)) > 0) {
        usleep((int) (min($left, 0.05) * 1e6));
        if ($tick) $tick();
    }
}

/* Sends a ping and waits for the answer; false when there was none. */
function ping($c): bool
{
    return @fwrite($c, "ping") !== false && str_starts_with(tide_read_until($c, "\n", 2), 'pong');
}

foreach (TIDE_MODES as $mode => $name) {
    until_fraction(0.02);
    $srv = new TideServerProc(<<<'PHP'
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 1, 'heartbeat_check_interval' => 1, 'heartbeat_idle_time' => 1]);
        $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
        $s->on('receive', function ($s, $fd, $rid, $data) { $s->send($fd, "pong $fd\n"); });
        $s->on('close', function ($s, $fd) { echo "close $fd\n"; });
        $s->start();
    PHP, $mode);
    $srv->waitReady(1);

    /* An active connection: a ping every 0.25 s for the whole test; never idle 1 s. */
    $active = tide_connect($srv->port, timeout: 2);
    $activeOk = true;
    $nextPing = 0.0;
    $tick = function () use ($active, &$activeOk, &$nextPing) {
        if (!$activeOk || microtime(true) < $nextPing) {
            return;
        }
        $nextPing = microtime(true) + 0.25;
        $activeOk = ping($active);
    };
    $tick();

    /* A connection whose last byte comes just before a second begins: the check in the
     * next second finds it idle for less than 1 s and must leave it open. (The server was
     * started just after a second began, so its checks come early in a second.) */
    $idle = tide_connect($srv->port, timeout: 2);
    $idleOk = true;
    $idleNext = 0.0;
    until_fraction(0.99, function () use ($tick, $idle, &$idleOk, &$idleNext) {
        $tick();
        if ($idleOk && microtime(true) >= $idleNext) {
            $idleNext = microtime(true) + 0.25;
            $idleOk = ping($idle);
        }
    });
    $t0 = microtime(true);
    fwrite($idle, "last");
    $idleFd = (int) substr(tide_read_until($idle, "\n", 2), 5);
    $t = closed_at($idle, 3.5, $tick);
    $idleRes = $t === null ? 'not closed' : ($t - $t0 < 0.9 ? sprintf('closed too early (%.2f s idle)', $t - $t0) : 'closed');
    $idleEvent = $srv->waitFor("close $idleFd\n", 1, 3);
    $tick();

    echo "$name: idle ", $idleOk ? '' : '(closed while active) ', "$idleRes, onClose ", var_export($idleEvent, true),
        "; active one ", $activeOk ? 'kept' : 'CLOSED', "\n";
    fclose($active);
    $status = $srv->stop();
    echo "$name: status $status\n";
    if ($status !== 0) echo $srv->err();
}
?>
--EXPECT--
process: idle closed, onClose true; active one kept
process: status 0
base: idle closed, onClose true; active one kept
base: status 0
