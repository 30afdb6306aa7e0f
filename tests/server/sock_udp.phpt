--TEST--
Server: SOCK_UDP in both modes; packet gets the data and clientInfo, sendto() replies (with and without server_socket)
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

function udp_ask($c, string $msg): string
{
    fwrite($c, $msg);
    $r = fread($c, 70000);
    return $r === false ? '<nothing>' : $r;
}

foreach (TIDE_MODES as $mode => $name) {
    /* A datagram port needs a packet callback. */
    $s = new Tide\Server('127.0.0.1', 0, $mode, Tide\SOCK_UDP);
    $s->on('receive', fn() => null);
    try {
        $s->start();
        echo "$name: started without a packet callback\n";
    } catch (Tide\Exception $e) {
        echo "$name: ", get_class($e), ": ", str_contains($e->getMessage(), "'packet'") ? 'names packet' : $e->getMessage(), "\n";
    }
    unset($s);

    $srv = new TideServerProc(<<<'PHP'
        /* One write per READY line (tide_test_ready() makes several, which can interleave). */
        function ready($s) { echo "READY {$s->ports[0]->port} {$s->worker_id} " . getmypid() . "\n"; }
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE, Tide\SOCK_UDP);
        $s->set(['worker_num' => 2]);
        $s->on('workerStart', fn($s, $id) => ready($s));
        $s->on('packet', function ($s, $data, $info) {
            if ($data === 'info') {
                $ok = $s->sendto($info['address'], $info['port'], json_encode([
                    $info['address'], $info['port'], $info['server_socket'] >= 0,
                    $info['server_port'] === $s->ports[0]->port,
                ]), $info['server_socket']);
            } elseif ($data === 'nosock') {
                $ok = $s->sendto($info['address'], $info['port'], 'plain sendto');
            } else {
                $ok = $s->sendto($info['address'], $info['port'], 'len=' . strlen($data) . ':' . md5($data), $info['server_socket']);
            }
            if (!$ok) echo "sendto failed\n";
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(2);
    $c = stream_socket_client("udp://127.0.0.1:{$srv->port}", $errno, $errstr, 2);
    stream_set_timeout($c, 5);
    $lport = substr(strrchr(stream_socket_get_name($c, false), ':'), 1);
    $info = json_decode(udp_ask($c, 'info'), true);
    echo "$name: info ", json_encode([$info[0] ?? null, ($info[1] ?? null) === (int) $lport, $info[2] ?? null, $info[3] ?? null]), "\n";
    echo "$name: ", udp_ask($c, 'nosock'), "\n";
    /* Many datagrams from several clients, one big one: each answered, boundaries kept. */
    $ok = 0;
    for ($i = 0; $i < 20; $i++) {
        $m = "msg $i " . str_repeat(chr(65 + $i), $i * 3);
        if (udp_ask($c, $m) === 'len=' . strlen($m) . ':' . md5($m)) $ok++;
    }
    $c2 = stream_socket_client("udp://127.0.0.1:{$srv->port}", $errno, $errstr, 2);
    stream_set_timeout($c2, 5);
    $big = random_bytes(60000);
    $r = udp_ask($c2, $big);
    echo "$name: $ok/20 small answered, big ", $r === 'len=60000:' . md5($big) ? 'answered intact' : "wrong: $r", "\n";
    $status = $srv->stop();
    echo "$name: status $status", str_contains($srv->out(), 'sendto failed') ? ', a sendto failed' : '', "\n";
}
?>
--EXPECT--
process: Tide\Exception: names packet
process: info ["127.0.0.1",true,true,true]
process: plain sendto
process: 20/20 small answered, big answered intact
process: status 0
base: Tide\Exception: names packet
base: info ["127.0.0.1",true,true,true]
base: plain sendto
base: 20/20 small answered, big answered intact
base: status 0
