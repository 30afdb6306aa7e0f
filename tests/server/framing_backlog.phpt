--TEST--
Server limits: backlog is accepted (server-wide and per port) and given to listen() (the listen queue size ss shows), in both modes
--SKIPIF--
<?php
exec('ss -V 2>&1', $o, $rc);
if ($rc !== 0) die('skip needs ss (iproute2)');
?>
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

/* The queue sizes (Send-Q) of the listening TCP sockets on $port. */
function backlogs(int $port): array
{
    exec('ss -ltnH ' . escapeshellarg("sport = :$port"), $lines);
    $out = [];
    foreach ($lines as $l) {
        $f = preg_split('/\s+/', trim($l));
        $out[] = (int) $f[2];
    }
    sort($out);
    return $out;
}

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        var_dump($s->set(['worker_num' => 2, 'backlog' => 7]));
        $p = $s->listen('127.0.0.1', 0, Tide\SOCK_TCP);
        var_dump($p->set(['backlog' => 9]));
        $s->on('workerStart', function ($s, $id) use ($p) {
            if ($id === 0) echo "PORT2 {$p->port}\n";
            tide_test_ready($s);
        });
        $s->on('receive', fn($s, $fd, $rid, $d) => $s->send($fd, "echo $d"));
        $s->start();
    PHP, $mode);
    $srv->waitReady(2);
    preg_match('/PORT2 (\d+)\n/', $srv->out(), $m); /* not anchored: READY lines are several writes */
    $port2 = (int) $m[1];
    $served = [];
    foreach ([$srv->port, $port2] as $port) {
        $c = tide_connect($port);
        fwrite($c, "hi");
        $served[] = tide_read_until($c, "echo hi", 3) === 'echo hi' ? 'served' : 'NOT served';
        fclose($c);
    }
    echo "$name: set ", substr_count($srv->out(), "bool(true)"), " true; main port ", implode(',', backlogs($srv->port)),
        ", second port ", implode(',', backlogs($port2)), '; ', implode(' ', $served), "\n";
    $status = $srv->stop();
    if ($status !== 0) echo "$name: status $status\n", $srv->err();
}
?>
--EXPECT--
process: set 2 true; main port 7, second port 9; served served
base: set 2 true; main port 7,7, second port 9,9; served served
