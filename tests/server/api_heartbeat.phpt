--TEST--
Tide\Server::heartbeat(): before start() a Tide\Exception; without heartbeat_idle_time false with a warning; heartbeat(false) lists a connection idle past heartbeat_idle_time and leaves it open, never the one asking; heartbeat() closes it (onClose runs)
--EXTENSIONS--
tide
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

try {
    (new Tide\Server('127.0.0.1', 0))->heartbeat();
} catch (Tide\Exception $e) {
    echo get_class($e), ": ", $e->getMessage(), "\n";
}
foreach (['none' => [], 'idle 1 s' => ['heartbeat_idle_time' => 1, 'heartbeat_check_interval' => 86400]] as $label => $set) {
    $srv = new TideServerProc(<<<'PHP'
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 1] + json_decode(getenv('HB_SET'), true));
        $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
        $s->on('close', fn($s, $fd) => print("close $fd\n"));
        $s->on('receive', function ($s, $fd, $rid, $data) {
            $r = @$s->heartbeat(trim($data) === 'close');
            $s->send($fd, json_encode([$r, $r === false ? error_get_last()['message'] : in_array($fd, $r)]) . "\n");
        });
        $s->start();
    PHP, Tide\MODE_BASE, ['HB_SET' => json_encode($set)]);
    $srv->waitReady(1);
    $idle = tide_connect($srv->port);
    $a = tide_connect($srv->port);
    $deadline = microtime(true) + 6;
    do {
        usleep(200000);
        fwrite($a, "list\n");
        $r = json_decode(tide_read_until($a, "\n"), true);
    } while ($r[0] === [] && microtime(true) < $deadline);
    if ($r[0] === false) {
        echo "$label: false, ", $r[1], "\n";
    } else {
        echo "$label: lists ", count($r[0]), ", the asking one: ", json_encode($r[1]), ", idle still open: ", json_encode(!tide_closed_by_peer($idle, 0.3)), "\n";
        fwrite($a, "close\n");
        $c = json_decode(tide_read_until($a, "\n"), true);
        echo "$label: closes ", count($c[0]), ", idle closed: ", json_encode(tide_closed_by_peer($idle, 3)), "\n";
        $srv->waitFor('close ');
        echo trim(preg_replace('/\d+/', 'N', preg_replace('/^READY.*\n/m', '', $srv->out()))), "\n";
    }
    $srv->stop();
}
?>
--EXPECT--
Tide\Exception: Tide\Server::heartbeat() cannot be called before start()
none: false, Tide\Server::heartbeat(): no heartbeat_idle_time (or heartbeat_check_interval) is set: no connection can be idle
idle 1 s: lists 1, the asking one: false, idle still open: true
idle 1 s: closes 1, idle closed: true
close N
