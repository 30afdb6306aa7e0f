--TEST--
Server limits: max_connection=2: a third concurrent connection is closed at once (no connect event, a log line), the two keep working, and after one closes a new one is accepted
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

function ping($c, string $what): string
{
    if (@fwrite($c, "$what\n") === false) {
        return 'write failed';
    }
    $r = tide_read_until($c, "\n", 3);
    return $r === "echo $what\n" ? 'ok' : json_encode($r);
}

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => TIDE_TEST_MODE === Tide\MODE_PROCESS ? 2 : 1,
                 'max_connection' => 2, 'open_eof_split' => true, 'package_eof' => "\n"]);
        $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
        $s->on('connect', function ($s, $fd) { echo "connect $fd\n"; });
        $s->on('receive', function ($s, $fd, $rid, $data) {
            $s->send($fd, "echo $data");
        });
        $s->on('close', function ($s, $fd) { echo "close $fd\n"; });
        $s->start();
    PHP, $mode);
    $srv->waitReady($mode === Tide\MODE_PROCESS ? 2 : 1);
    $c1 = tide_connect($srv->port, timeout: 3);
    $c2 = tide_connect($srv->port, timeout: 3);
    $r = [ping($c1, 'one'), ping($c2, 'two')];
    $c3 = tide_connect($srv->port, timeout: 3);
    @fwrite($c3, "three\n");
    $t = microtime(true);
    $closed3 = tide_closed_by_peer($c3, 3);
    $fast = microtime(true) - $t < 2;
    $logged = $srv->waitFor('max_connection', 1, 3);
    $r[] = ping($c1, 'one again');
    $r[] = ping($c2, 'two again');
    $connects = substr_count($srv->out(), 'connect ');
    fclose($c1);
    $srv->waitFor('close ', 1, 5);
    $c4 = tide_connect($srv->port, timeout: 3);
    $r[] = ping($c4, 'four');
    $r[] = ping($c2, 'two at the end');
    $c5 = tide_connect($srv->port, timeout: 3);
    $closed5 = tide_closed_by_peer($c5, 3);
    echo "$name: pings ", implode(' ', $r), "; third closed at once: ", var_export($closed3 && $fast, true),
        ", logged: ", var_export($logged, true), ", connect events before: $connects",
        ", fifth (over the limit again) closed: ", var_export($closed5, true), "\n";
    fclose($c2);
    fclose($c4);
    $status = $srv->stop();
    echo "$name: status $status, ", substr_count($srv->out(), 'connect '), " connect events\n";
    if ($status !== 0) echo $srv->err();
}
?>
--EXPECT--
process: pings ok ok ok ok ok ok; third closed at once: true, logged: true, connect events before: 2, fifth (over the limit again) closed: true
process: status 0, 3 connect events
base: pings ok ok ok ok ok ok; third closed at once: true, logged: true, connect events before: 2, fifth (over the limit again) closed: true
base: status 0, 3 connect events
