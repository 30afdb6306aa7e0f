--TEST--
Server: SOCK_TCP6 on ::1 in both modes; echo with length framing, getClientInfo() names the IPv6 peer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        /* One write per READY line (tide_test_ready() makes several, which can interleave). */
        function ready($s) { echo "READY {$s->ports[0]->port} {$s->worker_id} " . getmypid() . "\n"; }
        $s = new Tide\Server('::1', 0, TIDE_TEST_MODE, Tide\SOCK_TCP6);
        $s->set(['worker_num' => 2, 'open_length_check' => true, 'package_length_type' => 'N',
                 'package_length_offset' => 0, 'package_body_offset' => 4]);
        $s->on('workerStart', fn($s, $id) => ready($s));
        $s->on('receive', function ($s, $fd, $rid, $data) {
            $i = $s->getClientInfo($fd);
            $body = substr($data, 4) . '|' . $i['remote_ip'] . '|' . ($i['remote_port'] > 0 ? 'port' : 'noport')
                . '|' . ($i['server_port'] === $s->ports[0]->port ? 'sport' : 'nosport')
                . '|' . ($i['socket_type'] === Tide\SOCK_TCP6 ? 'tcp6' : 'type' . $i['socket_type']);
            $s->send($fd, pack('N', strlen($body)) . $body);
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(2);
    echo "$name: type ", $srv->port > 0 ? 'port ok' : 'no port', "\n";
    /* The IPv4 loopback must not reach a socket bound to ::1. A test running beside this one
     * may listen on the same port number on 127.0.0.1, so a connection there is not enough:
     * what answers must not be this server (it would say "|tcp6"). */
    $v4 = @stream_socket_client("tcp://127.0.0.1:{$srv->port}", $errno, $errstr, 2);
    $reached = false;
    if ($v4) {
        stream_set_timeout($v4, 1);
        fwrite($v4, pack('N', 3) . 'abc');
        $reply = fread($v4, 200);
        $reached = is_string($reply) && str_contains($reply, '|tcp6');
        fclose($v4);
    }
    echo "$name: v4 reaches the server: ", $reached ? 'yes' : 'no', "\n";
    $c = tide_connect($srv->port, '[::1]');
    $local = stream_socket_get_name($c, false);
    $payload = str_repeat('x', 70000) . 'end';
    fwrite($c, pack('N', 3) . 'abc' . pack('N', strlen($payload)) . $payload);
    $got = [];
    for ($k = 0; $k < 2; $k++) {
        $h = tide_read_n($c, 4);
        if (strlen($h) < 4) break;
        $got[] = tide_read_n($c, unpack('N', $h)[1]);
    }
    echo "$name: ", count($got), " replies\n";
    echo "$name: ", $got[0] ?? '-', "\n";
    $second = $got[1] ?? '';
    echo "$name: long one ", strlen($second) > 70003 && str_starts_with($second, str_repeat('x', 70000) . 'end|::1|') ? 'intact' : 'BROKEN', "\n";
    fclose($c);
    $srv->stop();
}
?>
--EXPECT--
process: type port ok
process: v4 reaches the server: no
process: 2 replies
process: abc|::1|port|sport|tcp6
process: long one intact
base: type port ok
base: v4 reaches the server: no
base: 2 replies
base: abc|::1|port|sport|tcp6
base: long one intact
