--TEST--
Server: send(), sendfile(), close() and close($fd, true) on a connection another worker owns (fd passed by sendMessage): relayed, in order, in both modes with 2 workers
--EXTENSIONS--
sockets
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

function drain($c, float $timeout = 5.0): array
{
    $sock = socket_import_stream($c);
    socket_set_option($sock, SOL_SOCKET, SO_RCVTIMEO, ['sec' => (int) $timeout, 'usec' => 0]);
    $buf = '';
    for (;;) {
        $n = @socket_recv($sock, $chunk, 65536, 0);
        if ($n === false) {
            $err = socket_last_error($sock);
            return [$buf, $err === SOCKET_ECONNRESET ? 'reset' : ($err === SOCKET_EAGAIN ? 'timeout' : "error $err")];
        }
        if ($n === 0) return [$buf, 'eof'];
        $buf .= $chunk;
    }
}

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        function ready($s) { echo "READY {$s->ports[0]->port} {$s->worker_id} " . getmypid() . "\n"; }
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 2, 'open_eof_split' => true, 'package_eof' => "\n"]);
        $s->on('workerStart', function ($s, $id) {
            file_put_contents(__DIR__ . '/file', str_repeat("file-bytes-", 30000));
            ready($s);
        });
        $s->on('close', fn($s, $fd) => print("close event $fd in worker {$s->worker_id}\n"));
        $s->on('pipeMessage', function ($s, $src, $m) {
            $fd = $m['fd'];
            $me = $s->worker_id;
            switch ($m['op']) {
            case 'send':
                $r = [$s->exists($fd), $s->send($fd, "from worker $me: part 1\n")];
                $big = '';
                for ($i = 0; $i < 64; $i++) {
                    $chunk = str_repeat(chr(97 + $i % 26), 16384);
                    $big .= $chunk;
                    $r[] = $s->send($fd, $chunk);
                }
                $r[] = $s->send($fd, "\nbig " . md5($big) . "\n");
                $r[] = $s->sendfile($fd, __DIR__ . '/file');
                $r[] = $s->send($fd, "\nafter file\n");
                $s->send($fd, 'results ' . json_encode(array_unique($r)) . "\n");
                break;
            case 'close':
                $s->send($fd, "closing from worker $me\n");
                echo "remote close $fd: " . json_encode($s->close($fd, $m['reset'])) . "\n";
                break;
            }
        });
        $s->on('receive', function ($s, $fd, $rid, $data) {
            $w = explode(' ', trim($data));
            $me = $s->worker_id;
            if ($w[0] === 'relay') {
                $s->send($fd, "asked by worker $me\n");
                $s->sendMessage(['op' => $w[1], 'fd' => $fd, 'reset' => ($w[2] ?? '') === 'reset'], 1 - $me);
            }
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(2);
    $file = str_repeat("file-bytes-", 30000);

    $c = tide_connect($srv->port);
    fwrite($c, "relay send\n");
    $r = tide_read_until($c, "results ", 8);
    if (!preg_match('/results .*\n/', $r)) $r .= tide_read_until($c, "\n");
    preg_match('/^asked by worker (\d)\n/', $r, $a);
    preg_match('/from worker (\d): part 1\n/', $r, $b);
    $big = '';
    for ($i = 0; $i < 64; $i++) $big .= str_repeat(chr(97 + $i % 26), 16384);
    $want = "from worker X: part 1\n$big\nbig " . md5($big) . "\n$file\nafter file\nresults [true]\n";
    $got = substr($r, strlen($a[0] ?? ''));
    $got = preg_replace('/^from worker \d/', 'from worker X', $got);
    echo "$name: by the other worker: ", var_export(isset($a[1], $b[1]) && $a[1] !== $b[1], true),
        ", all bytes in order: ", var_export($got === $want, true), " (", strlen($got), " of ", strlen($want), ")\n";
    $owner = $a[1] ?? '?';

    fwrite($c, "relay close\n");
    [$rest, $how] = drain($c);
    echo "$name: graceful: ", preg_replace('/worker \d/', 'worker N', str_replace("\n", '|', $rest)), " then $how\n";

    $d = tide_connect($srv->port);
    fwrite($d, "relay close reset\n");
    [$rest, $how] = drain($d);
    echo "$name: reset: then $how\n";

    $srv->waitFor('close event', 2);
    $srv->stop();
    $out = $srv->out();
    echo "$name: remote closes: ", preg_match_all('/^remote close \d+: true$/m', $out), ", close events: ", preg_match_all('/^close event \d+ in worker \d$/m', $out), "\n";
    if ($mode === Tide\MODE_BASE) {
        /* The owner (the worker that accepted) runs the close event. */
        preg_match_all('/^close event (\d+) in worker (\d)$/m', $out, $m, PREG_SET_ORDER);
        echo "$name: first close event in the owner: ", var_export(($m[0][2] ?? '') === $owner, true), "\n";
    }
}
?>
--EXPECT--
process: by the other worker: true, all bytes in order: true (1378663 of 1378663)
process: graceful: asked by worker N|closing from worker N| then eof
process: reset: then reset
process: remote closes: 2, close events: 2
base: by the other worker: true, all bytes in order: true (1378663 of 1378663)
base: graceful: asked by worker N|closing from worker N| then eof
base: reset: then reset
base: remote closes: 2, close events: 2
base: first close event in the owner: true
