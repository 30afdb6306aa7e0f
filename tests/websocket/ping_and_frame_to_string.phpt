--TEST--
Tide\WebSocket\Server::ping() sends a ping frame (empty or with data) that the client sees and answers, from any worker; a ping to a gone connection is false, to a plain HTTP one false with a warning, data over 125 bytes a ValueError; Frame::__toString() is the frame packed with its own opcode and flags, Frame::pack()/unpack() are the Server's; both modes
--EXTENSIONS--
tide
--FILE--
<?php
require __DIR__ . '/../inc/websocket.inc';

$f = new Tide\WebSocket\Frame;
$f->data = 'hi';
$f->opcode = Tide\WebSocket\OPCODE_BINARY;
var_dump(bin2hex((string) $f), (string) $f === Tide\WebSocket\Server::pack('hi', Tide\WebSocket\OPCODE_BINARY),
         Tide\WebSocket\Frame::pack($f) === (string) $f, Tide\WebSocket\Frame::unpack((string) $f)->opcode);
$close = new Tide\WebSocket\CloseFrame;
$close->code = 4000;
$close->reason = 'done';
echo bin2hex((string) $close), "\n";
$f->opcode = Tide\WebSocket\OPCODE_PING;
$f->data = str_repeat('p', 126);
try {
    echo (string) $f;
} catch (ValueError $e) {
    echo $e->getMessage(), "\n";
}

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        $s = new Tide\WebSocket\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 2, 'dispatch_mode' => 2, 'open_websocket_pong_frame' => true]);
        $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
        $s->on('open', fn($s, $req) => null); /* upgrades take the default handshake, not request */
        $s->on('request', fn($req, $res) => $res->end('plain'));
        $s->on('pipeMessage', fn($s, $src, $fd) => $s->ping($fd, "from worker {$s->worker_id}"));
        $s->on('message', function ($s, $f) {
            if ($f->opcode === Tide\WebSocket\OPCODE_PONG) {
                $s->push($f->fd, "pong came back: '{$f->data}'");
                return;
            }
            switch ($f->data) {
            case 'ping':
                var_dump($s->ping($f->fd));
                break;
            case 'other':
                $s->sendMessage($f->fd, 1 - $s->worker_id);
                break;
            case 'checks':
                $plain = 0;
                foreach ($s->connections as $fd) {
                    $plain = $s->isEstablished($fd) ? $plain : $fd;
                }
                $out = ['gone: ' . var_export($s->ping(999999), true),
                        'plain: ' . var_export(@$s->ping($plain, 'x'), true) . ' ' . (error_get_last()['message'] ?? '')];
                try {
                    $s->ping($f->fd, str_repeat('x', 126));
                } catch (ValueError $e) {
                    $out[] = $e->getMessage();
                }
                $s->push($f->fd, implode("\n", $out));
                break;
            }
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(2);
    $plain = tide_connect($srv->port);
    fwrite($plain, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    tide_read_until($plain, 'plain');
    $ws = TideWsClient::connect($srv->port);
    foreach (['ping', 'other'] as $cmd) {
        $ws->send($cmd);
        [$op, $payload] = $ws->recvFrame();
        echo "$name: $cmd: opcode $op, data '", preg_replace('/\d/', 'N', $payload), "'\n";
        $ws->sendRaw(chr(0x8A) . chr(0x80 | strlen($payload)) . "\0\0\0\0" . $payload); // our pong, masked with zeros
        echo "$name: ", preg_replace('/\d/', 'N', $ws->recvMessage()[1]), "\n";
    }
    $ws->send('checks');
    echo $ws->recvMessage()[1], "\n";
    $srv->stop();
}
?>
--EXPECTF--
string(8) "82026869"
bool(true)
bool(true)
int(2)
88060fa0646f6e65
Tide\WebSocket\Frame::__toString(): the frame's $data is a control frame's (opcode 9): at most 125 bytes, with FLAG_FIN
process: ping: opcode 9, data ''
process: pong came back: ''
process: other: opcode 9, data 'from worker N'
process: pong came back: 'from worker N'
gone: false
plain: false Tide\WebSocket\Server::ping(): connection #%d is not a WebSocket connection (its handshake has not been accepted)
Tide\WebSocket\Server::ping(): Argument #2 ($data) is a control frame (opcode 9): at most 125 bytes, with FLAG_FIN
base: ping: opcode 9, data ''
base: pong came back: ''
base: other: opcode 9, data 'from worker N'
base: pong came back: 'from worker N'
gone: false
plain: false Tide\WebSocket\Server::ping(): connection #%d is not a WebSocket connection (its handshake has not been accepted)
Tide\WebSocket\Server::ping(): Argument #2 ($data) is a control frame (opcode 9): at most 125 bytes, with FLAG_FIN
