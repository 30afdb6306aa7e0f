--TEST--
Server: SOCK_UNIX_STREAM in both modes; EOF-split echo, client info, a stale socket file is replaced, the file goes at shutdown
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        function ready($s) { echo "READY {$s->ports[0]->port} {$s->worker_id} " . getmypid() . "\n"; }
        $path = __DIR__ . '/srv.sock';
        /* A stale socket file (nobody listens on it) is in the way. */
        $stale = stream_socket_server("unix://$path");
        fclose($stale);
        echo file_exists($path) ? "stale file present\n" : "no stale file\n";
        $s = new Tide\Server($path, 0, TIDE_TEST_MODE, Tide\SOCK_UNIX_STREAM);
        $s->set(['worker_num' => 2, 'open_eof_split' => true, 'package_eof' => "\n"]);
        $s->on('workerStart', fn($s, $id) => ready($s));
        $s->on('connect', fn($s, $fd) => $s->send($fd, "hello $fd\n"));
        $s->on('receive', function ($s, $fd, $rid, $data) {
            $i = $s->getClientInfo($fd);
            $s->send($fd, json_encode([trim($data), $i['server_port'], $i['socket_type'] === Tide\SOCK_UNIX_STREAM,
                                       $s->ports[0]->host === __DIR__ . '/srv.sock']) . "\n");
        });
        $s->start();
        echo file_exists($path) ? "socket file left behind\n" : "socket file removed\n";
    PHP, $mode);
    $srv->waitReady(2);
    $path = $srv->dir() . '/srv.sock';
    echo "$name: ", filetype($path), ", port $srv->port\n";
    $clients = [];
    for ($i = 0; $i < 3; $i++) {
        $c = stream_socket_client("unix://$path", $errno, $errstr, 5);
        if (!$c) { echo "$name: connect failed: $errstr\n"; continue; }
        stream_set_timeout($c, 5);
        $clients[] = $c;
    }
    $ids = [];
    foreach ($clients as $k => $c) {
        $hello = tide_read_until($c, "\n");
        $ids[] = (int) substr($hello, 6);
        fwrite($c, "ping $k\npong");
        fwrite($c, " $k\n");
    }
    foreach ($clients as $k => $c) {
        $r = tide_read_until($c, "pong $k\",");
        if (!str_ends_with($r, "\n")) $r .= tide_read_until($c, "\n");
        echo "$name: ", str_replace("\n", " ", trim($r)), "\n";
    }
    echo "$name: distinct ids: ", count(array_unique($ids)) === 3 && min($ids) > 0 ? 'yes' : 'no', "\n";
    $status = $srv->stop();
    echo "$name: status $status, ", file_exists($path) ? 'file still there' : 'file gone', "\n";
    $out = $srv->out();
    echo "$name: ", str_contains($out, 'stale file present') ? 'stale present' : 'no stale', ", ",
        str_contains($out, 'socket file removed') ? 'removed by start()' : 'NOT removed', "\n";
}
?>
--EXPECT--
process: socket, port 0
process: ["ping 0",0,true,true] ["pong 0",0,true,true]
process: ["ping 1",0,true,true] ["pong 1",0,true,true]
process: ["ping 2",0,true,true] ["pong 2",0,true,true]
process: distinct ids: yes
process: status 0, file gone
process: stale present, removed by start()
base: socket, port 0
base: ["ping 0",0,true,true] ["pong 0",0,true,true]
base: ["ping 1",0,true,true] ["pong 1",0,true,true]
base: ["ping 2",0,true,true] ["pong 2",0,true,true]
base: distinct ids: yes
base: status 0, file gone
base: stale present, removed by start()
