--TEST--
WebSocket bad input closes only that connection, with its code: an unmasked frame, a reserved opcode, RSV bits not agreed, a long or fragmented control frame, a stray continuation 1002; text that is not UTF-8 (whole, split over fragments, in a close reason) 1007; a message over package_max_length (one frame, or fragments adding up) 1009; a bystander is echoed throughout; the server's disconnect() to a client that never answers the close handshake drops it after websocket_close_timeout; both modes
--FILE--
<?php
require __DIR__ . '/../inc/websocket.inc';

$cases = [
    'unmasked frame' => TideWsClient::frame(0x81, 'hello', false),
    'reserved opcode 3' => TideWsClient::frame(0x83, 'x'),
    'reserved opcode 0xB' => TideWsClient::frame(0x8B, 'x'),
    'RSV2' => TideWsClient::frame(0xA1, 'x'),
    'RSV1 without deflate agreed' => TideWsClient::frame(0xC1, 'x'),
    'ping of 126 bytes' => TideWsClient::frame(0x89, str_repeat('p', 126)),
    'fragmented ping' => TideWsClient::frame(0x09, 'p'),
    'stray continuation' => TideWsClient::frame(0x80, 'x'),
    'text inside a fragmented message' => TideWsClient::frame(0x01, 'a') . TideWsClient::frame(0x81, 'b'),
    'close of 1 byte' => TideWsClient::frame(0x88, 'x'),
    'close code 1005' => TideWsClient::frame(0x88, pack('n', 1005)),
    'close code 999' => TideWsClient::frame(0x88, pack('n', 999)),
    'bad UTF-8' => TideWsClient::frame(0x81, "ok \xC3\x28"),
    'overlong UTF-8' => TideWsClient::frame(0x81, "\xC0\xAF"),
    'surrogate' => TideWsClient::frame(0x81, "\xED\xA0\x80"),
    'UTF-8 cut at the end' => TideWsClient::frame(0x81, "abc\xE2\x82"),
    'UTF-8 bad across fragments' => TideWsClient::frame(0x01, "abc\xE2") . TideWsClient::frame(0x80, "\x28\xAC"),
    'bad UTF-8 in a close reason' => TideWsClient::frame(0x88, pack('n', 1000) . "\xFF"),
    'one frame over package_max_length' => TideWsClient::frame(0x82, str_repeat('x', 70000)),
    'fragments over package_max_length' => TideWsClient::frame(0x02, str_repeat('x', 40000)) . TideWsClient::frame(0x80, str_repeat('x', 40000)),
    'a length header of 2^63' => chr(0x82) . chr(0xFF) . "\x80\0\0\0\0\0\0\0" . 'keyk',
];
$server = <<<'PHP'
    $s = new Tide\WebSocket\Server('127.0.0.1', 0, TIDE_TEST_MODE);
    $s->set(['worker_num' => 1, 'log_level' => 5, 'package_max_length' => 65536,
             'websocket_close_timeout' => 0.5]);
    $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
    $s->on('message', function ($s, $f) {
        if ($f->data === 'disconnect me') {
            var_dump($s->disconnect($f->fd, 4000, 'server says bye'));
            var_dump($s->isEstablished($f->fd));
            return;
        }
        $s->push($f->fd, 'echo ' . $f->data);
    });
    $s->on('close', fn($s, $fd) => print("close\n"));
    $s->start();
PHP;
foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc($server, $mode);
    $srv->waitReady(1);
    $by = TideWsClient::connect($srv->port);
    echo "$name:\n";
    $i = 0;
    foreach ($cases as $what => $bytes) {
        $ws = TideWsClient::connect($srv->port);
        $ws->sendRaw($bytes);
        $m = $ws->recvMessage();
        [$code] = $m && $m[0] == 8 ? TideWsClient::closeOf($m[1]) : ['no close frame: ' . json_encode($m)];
        echo "  $what: $code, ", $ws->closedByPeer() ? 'closed' : 'open', "\n";
        $by->send("bystander " . ++$i);
        if ($by->recvMessage()[1] !== "echo bystander $i") {
            echo "  the bystander was not answered\n";
        }
    }
    // a client that does not answer the server's close frame
    $ws = TideWsClient::connect($srv->port);
    $ws->send('disconnect me');
    $t = microtime(true);
    $f = $ws->recvFrame();
    echo "  disconnect: close frame ", json_encode(TideWsClient::closeOf($f[1])), "; ";
    $closed = $ws->closedByPeer(5);
    $dt = microtime(true) - $t;
    echo $closed ? 'dropped' : 'still open', $dt >= 0.4 && $dt < 3 ? ' after the timeout' : " after $dt s", "\n";
    // one that does
    $ws = TideWsClient::connect($srv->port);
    $ws->send('disconnect me');
    $f = $ws->recvFrame();
    $ws->sendRaw(TideWsClient::frame(0x88, $f[1]));
    $t = microtime(true);
    $closed = $ws->closedByPeer(5);
    echo "  disconnect answered: ", $closed && microtime(true) - $t < 0.4 ? 'closed at once' : 'not at once', "\n";
    $by->close();
    $srv->waitFor("close\n", 24, 10);
    $srv->stop();
    echo "  closes: ", substr_count($srv->out(), "close\n"), ", disconnect(): ", substr_count($srv->out(), "bool(true)\nbool(false)\n"), "\n";
}
?>
--EXPECT--
process:
  unmasked frame: 1002, closed
  reserved opcode 3: 1002, closed
  reserved opcode 0xB: 1002, closed
  RSV2: 1002, closed
  RSV1 without deflate agreed: 1002, closed
  ping of 126 bytes: 1002, closed
  fragmented ping: 1002, closed
  stray continuation: 1002, closed
  text inside a fragmented message: 1002, closed
  close of 1 byte: 1002, closed
  close code 1005: 1002, closed
  close code 999: 1002, closed
  bad UTF-8: 1007, closed
  overlong UTF-8: 1007, closed
  surrogate: 1007, closed
  UTF-8 cut at the end: 1007, closed
  UTF-8 bad across fragments: 1007, closed
  bad UTF-8 in a close reason: 1007, closed
  one frame over package_max_length: 1009, closed
  fragments over package_max_length: 1009, closed
  a length header of 2^63: 1002, closed
  disconnect: close frame [4000,"server says bye"]; dropped after the timeout
  disconnect answered: closed at once
  closes: 24, disconnect(): 2
base:
  unmasked frame: 1002, closed
  reserved opcode 3: 1002, closed
  reserved opcode 0xB: 1002, closed
  RSV2: 1002, closed
  RSV1 without deflate agreed: 1002, closed
  ping of 126 bytes: 1002, closed
  fragmented ping: 1002, closed
  stray continuation: 1002, closed
  text inside a fragmented message: 1002, closed
  close of 1 byte: 1002, closed
  close code 1005: 1002, closed
  close code 999: 1002, closed
  bad UTF-8: 1007, closed
  overlong UTF-8: 1007, closed
  surrogate: 1007, closed
  UTF-8 cut at the end: 1007, closed
  UTF-8 bad across fragments: 1007, closed
  bad UTF-8 in a close reason: 1007, closed
  one frame over package_max_length: 1009, closed
  fragments over package_max_length: 1009, closed
  a length header of 2^63: 1002, closed
  disconnect: close frame [4000,"server says bye"]; dropped after the timeout
  disconnect answered: closed at once
  closes: 24, disconnect(): 2
