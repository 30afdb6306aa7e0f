--TEST--
Server: exists() and getClientInfo() in both modes, for the caller's connection, another one (maybe another worker's), unknown and closed ids
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

$s = new Tide\Server('127.0.0.1', 0);
echo "not started: ", var_export($s->exists(1), true), " ", var_export($s->getClientInfo(1), true), "\n";
unset($s);

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        function ready($s) { echo "READY {$s->ports[0]->port} {$s->worker_id} " . getmypid() . "\n"; }
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 2, 'open_eof_split' => true, 'package_eof' => "\n"]);
        $s->on('workerStart', fn($s, $id) => ready($s));
        $s->on('receive', function ($s, $fd, $rid, $data) {
            $w = explode(' ', trim($data));
            switch ($w[0]) {
            case 'me':
                $s->send($fd, "$fd\n");
                break;
            case 'info':
                $of = (int) ($w[1] ?? $fd);
                $s->send($fd, json_encode(['exists' => $s->exists($of), 'info' => $s->getClientInfo($of),
                                           'worker' => $s->worker_id, 'time' => time()]) . "\n");
                break;
            case 'odd':
                $s->send($fd, json_encode([$s->exists(0), $s->exists(-1), $s->exists($fd + 1000000),
                    $s->getClientInfo(0), $s->getClientInfo($fd + 1000000), $s->exists(PHP_INT_MAX)]) . "\n");
                break;
            }
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(2);
    $t0 = time();
    $a = tide_connect($srv->port);
    $local = stream_socket_get_name($a, false);
    fwrite($a, "me\n");
    $aid = (int) tide_read_until($a, "\n");
    fwrite($a, "hello\ninfo\n");
    $r = json_decode(tide_read_until($a, "\n"), true);
    $i = $r['info'];
    $keys = ['server_port', 'server_fd', 'socket_fd', 'socket_type', 'remote_port', 'remote_ip', 'reactor_id',
             'connect_time', 'last_time', 'last_recv_time', 'last_dispatch_time', 'close_errno', 'worker_id',
             'recv_bytes', 'sent_bytes'];
    echo "$name: own: exists ", var_export($r['exists'], true), ", missing keys: ", json_encode(array_values(array_diff($keys, array_keys($i ?: [])))), "\n";
    echo "$name: remote ", "{$i['remote_ip']}:{$i['remote_port']}" === $local ? 'matches the client' : "{$i['remote_ip']}:{$i['remote_port']} != $local",
        ", server_port ", var_export($i['server_port'] === $srv->port, true),
        ", socket_type ", $i['socket_type'], "\n";
    echo "$name: connect_time in range ", var_export($i['connect_time'] >= $t0 && $i['connect_time'] <= $r['time'], true),
        ", last_time >= connect_time ", var_export($i['last_time'] >= $i['connect_time'] && $i['last_time'] <= $r['time'], true),
        ", recv_bytes ", $i['recv_bytes'], ", worker_id is the handler ", var_export($i['worker_id'] === $r['worker'], true),
        ", fds ", var_export($i["socket_fd"] > 2, true), "\n";

    $b = tide_connect($srv->port);
    fwrite($b, "me\n");
    $bid = (int) tide_read_until($b, "\n");
    fwrite($a, "info $bid\n");
    $r = json_decode(tide_read_until($a, "\n"), true);
    $bl = stream_socket_get_name($b, false);
    echo "$name: other: exists ", var_export($r['exists'], true), ", remote ",
        ($r['info']['remote_ip'] ?? '') . ':' . ($r['info']['remote_port'] ?? '') === $bl ? 'matches' : 'wrong', ", recv_bytes ", $r['info']['recv_bytes'] ?? '-', "\n";
    fclose($b);
    /* Wait (bounded) until the server has seen b go. */
    $deadline = microtime(true) + 5;
    do {
        fwrite($a, "info $bid\n");
        $r = json_decode(tide_read_until($a, "\n"), true);
    } while ($r['exists'] && microtime(true) < $deadline);
    echo "$name: closed: exists ", var_export($r['exists'], true), ", info ", var_export($r['info'], true), "\n";
    fwrite($a, "odd\n");
    echo "$name: odd ids: ", tide_read_until($a, "\n");
    $srv->stop();
}
?>
--EXPECT--
not started: false false
process: own: exists true, missing keys: []
process: remote matches the client, server_port true, socket_type 1
process: connect_time in range true, last_time >= connect_time true, recv_bytes 14, worker_id is the handler true, fds true
process: other: exists true, remote matches, recv_bytes 3
process: closed: exists false, info false
process: odd ids: [false,false,false,false,false,false]
base: own: exists true, missing keys: []
base: remote matches the client, server_port true, socket_type 1
base: connect_time in range true, last_time >= connect_time true, recv_bytes 14, worker_id is the handler true, fds true
base: other: exists true, remote matches, recv_bytes 3
base: closed: exists false, info false
base: odd ids: [false,false,false,false,false,false]
