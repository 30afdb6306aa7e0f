--TEST--
Server lifecycle: reload under load; no connection error and no lost reply in MODE_PROCESS; in MODE_BASE every request is answered or its connection closed, and new connections work after the reload
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

const CONNS = 4;
const MIN_TRIPS = 300;

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        function say(string $l): void { echo $l . "\n"; }
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 2, 'open_eof_split' => true, 'package_eof' => "\n", 'max_wait_time' => 2]);
        $s->on('workerStart', fn($s, $id) => say("READY {$s->ports[0]->port} $id " . getmypid()));
        $s->on('workerStop', function ($s, $id) { Tide\Coroutine::sleep(0.1); });
        $s->on('managerStart', fn($s) => say("manager " . getmypid()));
        $s->on('afterReload', fn($s) => say("afterReload"));
        $s->on('receive', function ($s, $fd, $rid, $data) {
            /* Some requests take a little while, so that some are in progress when their worker is told to stop. */
            if (str_ends_with(rtrim($data), '7')) Tide\Coroutine::sleep(0.01);
            $s->send($fd, rtrim($data) . " " . getmypid() . "\n");
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(2);
    preg_match('/^manager (\d+)$/m', $srv->out(), $m);
    $manager = (int) $m[1];
    $oldPids = $srv->workerPids;

    $conns = [];
    $errors = [];
    $closed = $refused = 0;
    $open = function (int $i) use (&$conns, &$errors, &$refused, $srv): bool {
        $c = @stream_socket_client("tcp://127.0.0.1:{$srv->port}", $errno, $errstr, 2);
        if (!$c) {
            $refused++;
            $errors[] = "connect: $errstr";
            return false;
        }
        stream_set_timeout($c, 2);
        $conns[$i] = $c;
        return true;
    };
    for ($i = 0; $i < CONNS; $i++) $open($i);

    $trips = $ok = 0;
    $pids = [];
    $reloadAt = 60;
    $deadline = microtime(true) + 8;
    $reloaded = false;
    while (microtime(true) < $deadline && count($errors) < 5) {
        if ($trips === $reloadAt) $srv->signal($manager, 'USR1');
        if (!$reloaded && $trips > $reloadAt) $reloaded = $srv->waitFor('afterReload', 1, 0);
        if ($reloaded && $trips >= MIN_TRIPS) break;
        $i = $trips % CONNS;
        $trips++;
        $msg = "r$trips";
        if (!isset($conns[$i]) && !$open($i)) continue;
        $w = @fwrite($conns[$i], "$msg\n");
        $r = $w ? tide_read_until($conns[$i], "\n", 2) : '';
        if (preg_match("/^$msg (\d+)\n$/", $r, $mm)) {
            $ok++;
            $pids[(int) $mm[1]] = true;
            continue;
        }
        $eof = !$w || feof($conns[$i]);
        if ($r === '' && $eof && $mode === Tide\MODE_BASE) {
            /* Its worker left: the connection is closed, not left hanging. */
            $closed++;
            fclose($conns[$i]);
            unset($conns[$i]);
            continue;
        }
        $errors[] = "$msg on conn $i: " . json_encode($r) . ($eof ? ' (closed)' : ' (no reply)');
        if ($eof) {
            unset($conns[$i]);
        }
    }
    $reloaded = $reloaded || $srv->waitFor('afterReload', 1, 3);
    $srv->waitFor('READY ', 4, 3);
    $srv->readyLines();
    $newPids = $srv->workerPids;

    /* After the reload, new connections are served by the new workers. */
    $after = [];
    for ($i = 0; $i < 4; $i++) {
        $c = @stream_socket_client("tcp://127.0.0.1:{$srv->port}", $errno, $errstr, 2);
        if (!$c) { $after[] = "connect: $errstr"; continue; }
        stream_set_timeout($c, 2);
        fwrite($c, "after$i\n");
        $r = tide_read_until($c, "\n", 2);
        $after[] = preg_match("/^after$i (\d+)\n$/", $r, $mm) && in_array((int) $mm[1], $newPids, true) ? 'ok' : json_encode($r);
        fclose($c);
    }
    $status = $srv->stop();
    $answeredByOld = count(array_intersect(array_keys($pids), $oldPids));
    $answeredByNew = count(array_intersect(array_keys($pids), $newPids));
    echo "$name: reloaded=", var_export($reloaded, true),
        " replaced=", var_export(!array_intersect($oldPids, $newPids) && count($newPids) === 2, true),
        " enough trips=", var_export($trips >= MIN_TRIPS, true),
        " all answered=", var_export($ok + $closed === $trips, true),
        /* MODE_BASE: the kernel picks a worker per connection, so maybe not both. */
        " old and new answered=", var_export($mode === Tide\MODE_PROCESS ? $answeredByOld === 2 && $answeredByNew === 2
            : $answeredByOld >= 1 && $answeredByNew >= 1, true),
        " errors=", json_encode($errors), " after=", implode(',', array_unique($after)), " status=$status\n";
    if ($mode === Tide\MODE_PROCESS && $closed) echo "$name: $closed connection(s) closed\n";
    if (getenv('LIFE_DEBUG')) fprintf(STDERR, "$name trips=$trips ok=$ok closed=$closed refused=$refused old=$answeredByOld new=$answeredByNew\n");
    if ($errors || $status !== 0) echo "trips=$trips ok=$ok closed=$closed\n", $srv->out(), $srv->err();
}
?>
--EXPECT--
process: reloaded=true replaced=true enough trips=true all answered=true old and new answered=true errors=[] after=ok status=0
base: reloaded=true replaced=true enough trips=true all answered=true old and new answered=true errors=[] after=ok status=0
