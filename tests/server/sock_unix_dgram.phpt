--TEST--
Server: SOCK_UNIX_DGRAM in both modes; packet names the client's path, sendto() to that path replies
--EXTENSIONS--
sockets
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

function udg_client(string $path)
{
    $c = socket_create(AF_UNIX, SOCK_DGRAM, 0);
    @unlink($path);
    socket_bind($c, $path);
    socket_set_option($c, SOL_SOCKET, SO_RCVTIMEO, ['sec' => 5, 'usec' => 0]);
    return $c;
}

function udg_ask($c, string $server, string $msg): string
{
    socket_sendto($c, $msg, strlen($msg), 0, $server);
    $from = '';
    $n = @socket_recvfrom($c, $buf, 70000, 0, $from);
    return $n === false ? '<nothing>' : "$buf (from " . basename($from) . ")";
}

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        function ready($s) { echo "READY {$s->ports[0]->port} {$s->worker_id} " . getmypid() . "\n"; }
        $s = new Tide\Server(__DIR__ . '/srv.sock', 0, TIDE_TEST_MODE, Tide\SOCK_UNIX_DGRAM);
        $s->set(['worker_num' => 2]);
        $s->on('workerStart', fn($s, $id) => ready($s));
        $s->on('packet', function ($s, $data, $info) {
            $reply = basename($info['address']) . ' sent ' . strlen($data) . ' bytes ' . md5($data);
            if (!$s->sendto($info['address'], 0, $reply, $info['server_socket'])) echo "sendto failed\n";
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(2);
    $server = $srv->dir() . '/srv.sock';
    echo "$name: ", filetype($server), "\n";
    $a = udg_client($srv->dir() . '/client-a.sock');
    $b = udg_client($srv->dir() . '/client-b.sock');
    echo "$name: ", udg_ask($a, $server, 'hello'), "\n";
    echo "$name: ", udg_ask($b, $server, 'world!'), "\n";
    $ok = 0;
    for ($i = 0; $i < 20; $i++) {
        $m = str_repeat("$i", $i * 100 + 1);
        if (udg_ask($i % 2 ? $a : $b, $server, $m) === 'client-' . ($i % 2 ? 'a' : 'b') . '.sock sent ' . strlen($m) . ' bytes ' . md5($m) . ' (from srv.sock)') $ok++;
    }
    $big = random_bytes(60000);
    echo "$name: $ok/20 answered, big: ", udg_ask($a, $server, $big) === 'client-a.sock sent 60000 bytes ' . md5($big) . ' (from srv.sock)' ? 'ok' : 'wrong', "\n";
    socket_close($a);
    socket_close($b);
    $status = $srv->stop();
    echo "$name: status $status, ", file_exists($server) ? 'socket file left' : 'socket file gone', str_contains($srv->out(), 'sendto failed') ? ', a sendto failed' : '', "\n";
}
?>
--EXPECT--
process: socket
process: client-a.sock sent 5 bytes 5d41402abc4b2a76b9719d911017c592 (from srv.sock)
process: client-b.sock sent 6 bytes 08cf82251c975a5e9734699fadf5e9c0 (from srv.sock)
process: 20/20 answered, big: ok
process: status 0, socket file gone
base: socket
base: client-a.sock sent 5 bytes 5d41402abc4b2a76b9719d911017c592 (from srv.sock)
base: client-b.sock sent 6 bytes 08cf82251c975a5e9734699fadf5e9c0 (from srv.sock)
base: 20/20 answered, big: ok
base: status 0, socket file gone
