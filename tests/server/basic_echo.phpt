--TEST--
Server: EOF-framed echo in both modes; connect, receive, close events; send(), close()
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 2, 'open_eof_split' => true, 'package_eof' => "\r\n"]);
        $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
        $s->on('connect', function ($s, $fd, $rid) { echo "connect $fd\n"; });
        $s->on('receive', function ($s, $fd, $rid, $data) {
            if ($data === "QUIT\r\n") {
                $s->send($fd, "BYE\r\n");
                $s->close($fd);
                return;
            }
            $s->send($fd, "[" . strlen($data) . "]" . $data);
        });
        $s->on('close', function ($s, $fd, $rid) { echo "close $fd\n"; });
        $s->on('shutdown', function ($s) { echo "shutdown\n"; });
        var_dump($s->start());
        echo "after start\n";
    PHP, $mode);
    $srv->waitReady(2);
    $c = tide_connect($srv->port);
    fwrite($c, "one\r\ntwo\r\nthr");
    $got = tide_read_until($c, "two\r\n");
    fwrite($c, "ee\r\n");
    $got .= tide_read_until($c, "three\r\n");
    fwrite($c, "QUIT\r\n");
    $got .= tide_read_until($c, "BYE\r\n");
    $closed = tide_closed_by_peer($c);
    echo "$name: ", json_encode($got), " closed=", var_export($closed, true), "\n";
    $srv->waitFor('close ');
    $status = $srv->stop();
    $out = $srv->out();
    echo "$name: status $status, ", substr_count($out, "connect "), " connect, ",
        substr_count($out, "close "), " close, ", substr_count($out, "shutdown"), " shutdown, ",
        substr_count($out, "bool(true)\nafter start"), " return from start\n";
    if ($status !== 0) echo $srv->err();
}
?>
--EXPECT--
process: "[5]one\r\n[5]two\r\n[7]three\r\nBYE\r\n" closed=true
process: status 0, 1 connect, 1 close, 1 shutdown, 1 return from start
base: "[5]one\r\n[5]two\r\n[7]three\r\nBYE\r\n" closed=true
base: status 0, 1 connect, 1 close, 1 shutdown, 1 return from start
