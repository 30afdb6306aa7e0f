--TEST--
WebSocket frames: text and binary messages of every length class (0, 125, 126, 65535, 65536 bytes, 16 MiB) echoed; a message fragmented in three with a ping between the fragments is reassembled and the ping answered with its pong; a pong is not handed out; with open_websocket_ping_frame, _pong_frame and _close_frame those frames go to the message event (no automatic pong; the close answered with its code all the same), and with open_websocket_continuation_frame each fragment is handed over as it comes (finish on the last); both modes
--FILE--
<?php
require __DIR__ . '/../inc/websocket.inc';

$server = <<<'PHP'
    $raw = getenv('RAW') === '1';
    $s = new Tide\WebSocket\Server('127.0.0.1', 0, TIDE_TEST_MODE);
    $s->set(['worker_num' => 2, 'log_level' => 5, 'package_max_length' => 32 << 20]
            + ($raw ? ['open_websocket_ping_frame' => true, 'open_websocket_pong_frame' => true,
                       'open_websocket_close_frame' => true,
                       'open_websocket_continuation_frame' => true] : []));
    $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
    $s->on('message', function ($s, $f) {
        if ($f instanceof Tide\WebSocket\CloseFrame) {
            echo "close frame code {$f->code} reason '{$f->reason}'\n";
            return;
        }
        if ($f->opcode == Tide\WebSocket\OPCODE_PING || $f->opcode == Tide\WebSocket\OPCODE_PONG
            || strlen($f->data) < 20) {
            printf("frame opcode %d flags %d finish %s '%s'\n", $f->opcode, $f->flags,
                   var_export($f->finish, true), $f->data);
        }
        $s->push($f->fd, $f->opcode . ':' . strlen($f->data) . ':' . md5($f->data),
                 Tide\WebSocket\OPCODE_TEXT);
    });
    $s->start();
PHP;
foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc($server, $mode);
    $srv->waitReady(2);
    $ws = TideWsClient::connect($srv->port);
    $ok = 0;
    foreach ([0, 125, 126, 65535, 65536, 16 << 20] as $n) {
        /* 16 MiB of text goes through npm_ws_echo.phpt: here binary only, to spare CI's CPU */
        foreach ($n > 65536 ? [2, 2] : [1, 2] as $op) {
            $data = $op == 1 ? str_repeat('é', intdiv($n, 2)) . str_repeat('a', $n % 2) : ($n ? random_bytes($n) : "");
            $ws->send($data, $op);
            $m = $ws->recvMessage(20);
            if ($m[1] === "$op:$n:" . md5($data)) {
                $ok++;
            } else {
                echo "$name: $n bytes, opcode $op: ", json_encode($m), "\n";
            }
        }
    }
    echo "$name: $ok of 12 echoed\n";
    // fragmented, with a ping in between
    $ws->sendRaw(TideWsClient::frame(0x01, 'Hello, ') . TideWsClient::frame(0x89, 'are you there')
               . TideWsClient::frame(0x00, 'fragmented ') . TideWsClient::frame(0x80, 'world'));
    $m = $ws->recvMessage(5, $controls);
    echo "  controls: ", json_encode($controls), "\n  message: ", $m[1] === '1:' . strlen('Hello, fragmented world') . ':' . md5('Hello, fragmented world') ? 'reassembled' : json_encode($m), "\n";
    $ws->sendRaw(TideWsClient::frame(0x8A, 'unasked pong') . TideWsClient::frame(0x81, 'after'));
    echo "  after a pong: ", $ws->recvMessage()[1] === '1:5:' . md5('after') ? 'only the text came' : 'wrong', "\n";
    echo "  close: ", json_encode($ws->close(4001, 'done')), ", ", $ws->closedByPeer() ? 'closed' : 'open', "\n";
    $srv->stop();
    echo $srv->out();

    $srv = new TideServerProc($server, $mode, ['RAW' => '1']);
    $srv->waitReady(2);
    $ws = TideWsClient::connect($srv->port);
    $ws->sendRaw(TideWsClient::frame(0x89, 'ping!'));
    echo "$name, raw: ping: ", json_encode($ws->recvMessage()), "\n";
    $ws->sendRaw(TideWsClient::frame(0x8A, 'pong!'));
    echo "  pong: ", json_encode($ws->recvMessage()), "\n";
    $ws->sendRaw(TideWsClient::frame(0x02, 'one') . TideWsClient::frame(0x00, 'two') . TideWsClient::frame(0x80, 'three'));
    for ($i = 0; $i < 3; $i++) {
        echo "  fragment: ", json_encode($ws->recvMessage()), "\n";
    }
    echo "  close: ", json_encode($ws->close(1001, 'away')), ", ", $ws->closedByPeer() ? 'closed' : 'open', "\n";
    $srv->stop();
    $out = explode("\n", trim($srv->out()));
    sort($out);
    echo implode("\n", $out), "\n";
}
?>
--EXPECTF--
process: 12 of 12 echoed
  controls: [[10,"are you there"]]
  message: reassembled
  after a pong: only the text came
  close: [4001,""], closed
READY %d %d %d
READY %d %d %d
frame opcode 1 flags 1 finish true ''
frame opcode 2 flags 1 finish true ''
frame opcode 1 flags 1 finish true 'after'
process, raw: ping: [1,"9:5:%s",false]
  pong: [1,"10:5:%s",false]
  fragment: [1,"2:3:%s",false]
  fragment: [1,"0:3:%s",false]
  fragment: [1,"0:5:%s",false]
  close: [1001,""], closed
READY %d %d %d
READY %d %d %d
close frame code 1001 reason 'away'
frame opcode 0 flags 0 finish false 'two'
frame opcode 0 flags 1 finish true 'three'
frame opcode 10 flags 1 finish true 'pong!'
frame opcode 2 flags 0 finish false 'one'
frame opcode 9 flags 1 finish true 'ping!'
base: 12 of 12 echoed
  controls: [[10,"are you there"]]
  message: reassembled
  after a pong: only the text came
  close: [4001,""], closed
READY %d %d %d
READY %d %d %d
frame opcode 1 flags 1 finish true ''
frame opcode 2 flags 1 finish true ''
frame opcode 1 flags 1 finish true 'after'
base, raw: ping: [1,"9:5:%s",false]
  pong: [1,"10:5:%s",false]
  fragment: [1,"2:3:%s",false]
  fragment: [1,"0:3:%s",false]
  fragment: [1,"0:5:%s",false]
  close: [1001,""], closed
READY %d %d %d
READY %d %d %d
close frame code 1001 reason 'away'
frame opcode 0 flags 0 finish false 'two'
frame opcode 0 flags 1 finish true 'three'
frame opcode 10 flags 1 finish true 'pong!'
frame opcode 2 flags 0 finish false 'one'
frame opcode 9 flags 1 finish true 'ping!'
