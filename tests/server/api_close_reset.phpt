--TEST--
Server: close() flushes then ends with FIN, close($fd, true) resets (RST); exists() is false at once, a second close() warns, the close event runs either way
--EXTENSIONS--
sockets
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

/* Reads until EOF or an error: what came, and how it ended (sockets tell a reset from a FIN). */
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
        $s->on('workerStart', fn($s, $id) => ready($s));
        $s->on('close', fn($s, $fd) => print("close event $fd\n"));
        $s->on('receive', function ($s, $fd, $rid, $data) {
            switch (trim($data)) {
            case 'me':
                $s->send($fd, "$fd\n");
                break;
            case 'close':
                $s->send($fd, str_repeat('z', 100000) . "bye\n");
                $r1 = $s->close($fd);
                $e = $s->exists($fd);
                $r2 = $s->close($fd);
                echo "graceful: close ", json_encode([$r1, $e, $r2]), "\n";
                break;
            case 'reset':
                $r1 = $s->close($fd, true);
                $e = $s->exists($fd);
                $r2 = $s->close($fd, true);
                echo "reset: close ", json_encode([$r1, $e, $r2]), "\n";
                break;
            case 'unknown':
                $s->send($fd, json_encode($s->close(987654)) . "\n");
                break;
            }
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(2);

    $c = tide_connect($srv->port);
    fwrite($c, "me\n");
    $id1 = (int) tide_read_until($c, "\n");
    fwrite($c, "close\n");
    [$data, $how] = drain($c);
    echo "$name: graceful: ", strlen($data), " bytes, ends with bye: ", var_export(str_ends_with($data, "bye\n"), true), ", then $how\n";

    $c = tide_connect($srv->port);
    fwrite($c, "me\n");
    $id2 = (int) tide_read_until($c, "\n");
    fwrite($c, "reset\n");
    [$data, $how] = drain($c);
    echo "$name: reset: ", strlen($data), " bytes, then $how\n";

    $c = tide_connect($srv->port);
    fwrite($c, "unknown\n");
    echo "$name: close of an unknown fd: ", trim(tide_read_until($c, "\n")), "\n";
    $srv->waitFor("close event $id2");
    $srv->stop();
    $out = $srv->out();
    foreach (['graceful: close [true,false,false]' => 'graceful: close [true,false,false]',
              'reset: close [true,false,false]' => 'reset: close [true,false,false]',
              'close event ID1' => "close event $id1\n", 'close event ID2' => "close event $id2\n",
              'second close of ID1 warns' => "Tide\\Server::close(): connection #$id1 does not exist",
              'second close of ID2 warns' => "Tide\\Server::close(): connection #$id2 does not exist",
              'close of an unknown fd warns' => 'Tide\\Server::close(): connection #987654 does not exist'] as $label => $want) {
        echo "$name: $label: ", substr_count($out, $want), "\n";
    }
}
?>
--EXPECT--
process: graceful: 100004 bytes, ends with bye: true, then eof
process: reset: 0 bytes, then reset
process: close of an unknown fd: false
process: graceful: close [true,false,false]: 1
process: reset: close [true,false,false]: 1
process: close event ID1: 1
process: close event ID2: 1
process: second close of ID1 warns: 1
process: second close of ID2 warns: 1
process: close of an unknown fd warns: 1
base: graceful: 100004 bytes, ends with bye: true, then eof
base: reset: 0 bytes, then reset
base: close of an unknown fd: false
base: graceful: close [true,false,false]: 1
base: reset: close [true,false,false]: 1
base: close event ID1: 1
base: close event ID2: 1
base: second close of ID1 warns: 1
base: second close of ID2 warns: 1
base: close of an unknown fd warns: 1
