--TEST--
Server: session ids are never reused and grow with every new connection, past the size of the connection table, in both modes with 2 workers
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        function ready($s) { echo "READY {$s->ports[0]->port} {$s->worker_id} " . getmypid() . "\n"; }
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        /* A small table: its slots are used many times over. */
        $s->set(['worker_num' => 2, 'max_connection' => 8, 'open_eof_split' => true, 'package_eof' => "\n"]);
        $s->on('workerStart', fn($s, $id) => ready($s));
        $s->on('connect', fn($s, $fd) => $s->send($fd, "$fd\n"));
        $s->on('receive', fn($s, $fd, $rid, $data) => $s->send($fd, "$fd\n"));
        $s->start();
    PHP, $mode);
    $srv->waitReady(2);
    $keep = tide_connect($srv->port);
    $ids = [(int) tide_read_until($keep, "\n")];
    $failed = 0;
    for ($i = 0; $i < 200; $i++) {
        try {
            $c = tide_connect($srv->port);
        } catch (RuntimeException $e) {
            $failed++;
            continue;
        }
        $id = (int) tide_read_until($c, "\n");
        fwrite($c, "again\n");
        $again = (int) tide_read_until($c, "\n");
        if ($again !== $id) echo "$name: connection $id answered as $again\n";
        $ids[] = $id;
        fclose($c);
    }
    fwrite($keep, "still\n");
    $still = (int) tide_read_until($keep, "\n");
    $decreases = 0;
    for ($k = 1; $k < count($ids); $k++) if ($ids[$k] <= $ids[$k - 1]) $decreases++;
    echo "$name: ", count($ids), " ids, ", count(array_unique($ids)), " distinct, all > 0: ", var_export(min($ids) > 0, true),
        ", failed connects: $failed, not increasing: $decreases, first keeps its id: ", var_export($still === $ids[0], true), "\n";
    if ($decreases) echo "$name: first ids: ", implode(' ', array_slice($ids, 0, 12)), "\n";
    $srv->stop();
}
?>
--EXPECT--
process: 201 ids, 201 distinct, all > 0: true, failed connects: 0, not increasing: 0, first keeps its id: true
base: 201 ids, 201 distinct, all > 0: true, failed connects: 0, not increasing: 0, first keeps its id: true
