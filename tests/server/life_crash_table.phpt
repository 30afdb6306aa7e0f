--TEST--
Server lifecycle: after a worker is killed, its connections no longer exist for exists()/getClientList()/stats(), and new ids keep growing
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 1]);
        $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
        $s->on('receive', function ($s, $fd, $rid, $data) {
            if ($data === 'id') {
                $s->send($fd, "$fd\n");
                return;
            }
            $old = (int) substr($data, 7);
            $s->send($fd, json_encode([
                'exists' => $s->exists($old),
                'list' => $s->getClientList(0, 10),
                'connection_num' => $s->stats()['connection_num'],
                'newer' => $fd > $old,
            ]) . "\n");
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(1);
    $a = tide_connect($srv->port);
    fwrite($a, 'id');
    $old = (int) tide_read_until($a, "\n");
    $srv->signal($srv->workerPids[0], 'KILL');
    $srv->waitFor('READY ', 2);
    $srv->readyLines();
    /* MODE_BASE: nothing listens while the only worker is replaced; try until it does. */
    $b = null;
    for ($i = 0; $i < 100 && !$b; $i++) {
        try { $b = tide_connect($srv->port, '127.0.0.1', 1); } catch (RuntimeException $e) { usleep(20000); }
    }
    fwrite($b, "exists $old");
    $r = json_decode(tide_read_until($b, "\n"), true);
    echo "$name: exists(old)=", var_export($r['exists'], true), " list=", count($r['list']),
        " connection_num=", $r['connection_num'], " newer id=", var_export($r['newer'], true),
        " old client closed=", var_export(tide_closed_by_peer($a), true), "\n";
    $srv->stop();
}
?>
--EXPECT--
process: exists(old)=false list=1 connection_num=1 newer id=true old client closed=true
base: exists(old)=false list=1 connection_num=1 newer id=true old client closed=true
