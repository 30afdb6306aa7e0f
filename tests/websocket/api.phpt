--TEST--
WebSocket API: push() (string or Frame, text, binary, compressed) from any worker to any connection, a broadcast over $server->connections from one worker reaching clients of every worker, isEstablished() (false for a plain HTTP connection, an unknown or closed one), disconnect() with a code and reason, push() to a gone connection false and to a non-WebSocket one false with a warning, bad opcodes, codes and reasons are ValueErrors naming the argument; permessage-deflate both ways with context takeover and with client_no_context_takeover; both modes
--FILE--
<?php
require __DIR__ . '/../inc/websocket.inc';

$server = <<<'PHP'
    $s = new Tide\WebSocket\Server('127.0.0.1', 0, TIDE_TEST_MODE);
    $s->set(['worker_num' => 2, 'log_level' => 5, 'websocket_compression' => true,
             'dispatch_mode' => 2]);
    $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
    $s->on('pipeMessage', function ($s, $src, $msg) {
        [$fd, $text] = $msg;
        if ($text === 'disconnect') {
            $s->disconnect($fd, 4444, "from worker {$s->worker_id}");
            return;
        }
        $s->push($fd, "from worker {$s->worker_id} (asked by $src): $text");
    });
    $s->on('message', function ($s, $f) {
        [$cmd, $arg] = explode(' ', $f->data, 2) + [1 => ''];
        switch ($cmd) {
        case 'broadcast':
            $n = 0;
            foreach ($s->connections as $fd) {
                if ($s->isEstablished($fd)) {
                    $n += $s->push($fd, "all: $arg") ? 1 : 0;
                }
            }
            $s->push($f->fd, "broadcast to $n of " . count($s->connections));
            break;
        case 'other':
            $s->sendMessage([$f->fd, $arg], 1 - $s->worker_id);
            break;
        case 'frame':
            $fr = new Tide\WebSocket\Frame;
            $fr->data = "a frame";
            $fr->opcode = Tide\WebSocket\OPCODE_BINARY;
            var_dump($s->push($f->fd, $fr));
            break;
        case 'compressed':
            $s->push($f->fd, str_repeat("compress me ", 100), Tide\WebSocket\OPCODE_TEXT,
                     Tide\WebSocket\FLAG_FIN | Tide\WebSocket\FLAG_COMPRESS);
            break;
        case 'echo':
            $s->push($f->fd, sprintf("%s flags %d", md5($arg), $f->flags));
            break;
        case 'checks':
            $plain = 0;
            foreach ($s->connections as $fd) {
                $plain = $s->isEstablished($fd) ? $plain : $fd;
            }
            $out = [];
            $out[] = 'plain established: ' . var_export($s->isEstablished($plain), true);
            $out[] = 'unknown established: ' . var_export($s->isEstablished(999999), true);
            $out[] = 'push to plain: ' . var_export(@$s->push($plain, 'x'), true) . ' ' . (error_get_last()['message'] ?? '');
            $out[] = 'push to unknown: ' . var_export($s->push(999999, 'x'), true);
            foreach ([fn() => $s->push($f->fd, 'x', 3), fn() => $s->push($f->fd, str_repeat('p', 126), Tide\WebSocket\OPCODE_PING),
                      fn() => $s->disconnect($f->fd, 1005), fn() => $s->disconnect($f->fd, 1000, str_repeat('r', 124)),
                      fn() => $s->push($f->fd, 'x', 1, 64)] as $bad) {
                try {
                    $bad();
                    $out[] = 'no error';
                } catch (ValueError $e) {
                    $out[] = $e->getMessage();
                }
            }
            $s->push($f->fd, implode("\n", $out));
            break;
        case 'bye':
            $s->disconnect($f->fd, 4321, 'see you');
            break;
        }
    });
    $s->start();
PHP;
foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc($server, $mode);
    $srv->waitReady(2);
    echo "$name:\n";
    $clients = [];
    for ($i = 0; $i < 6; $i++) {
        $clients[] = TideWsClient::connect($srv->port, '/', [], $i % 2 == 0);
    }
    $plain = tide_connect($srv->port);
    fwrite($plain, "GET / HTTP/1.1\r\nHost: x"); // a plain HTTP connection, its request not whole yet
    $clients[0]->send('broadcast hello');
    $got = 0;
    foreach ($clients as $i => $ws) {
        $got += $ws->recvMessage()[1] === 'all: hello';
    }
    echo "  broadcast: $got of 6 got it; ", preg_replace('/of \d+/', 'of N', $clients[0]->recvMessage()[1]), "\n";
    $clients[1]->send('other hi');
    echo "  ", preg_replace('/\d+/', 'N', $clients[1]->recvMessage()[1]), "\n";
    $clients[1]->send('frame');
    echo "  frame: ", json_encode($clients[1]->recvMessage()), "\n";
    foreach ([0 => 'deflate', 1 => 'plain'] as $i => $what) {
        $clients[$i]->send('compressed');
        $m = $clients[$i]->recvMessage();
        echo "  $what client, compressed push: ", $m[1] === str_repeat("compress me ", 100) ? 'intact' : 'broken', ', ', $m[2] ? 'came compressed' : 'came plain', "\n";
    }
    // the client compresses with context takeover: the same text again and again
    $big = str_repeat('the same words again ', 50);
    for ($k = 0; $k < 3; $k++) {
        $clients[0]->send("echo $big");
        echo "  compressed message $k: ", $clients[0]->recvMessage()[1] === md5($big) . ' flags 7' ? 'inflated' : 'wrong', "\n";
    }
    // client_no_context_takeover
    $nc = TideWsClient::connect($srv->port, '/', ['Sec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover']);
    echo "  client_no_context_takeover answer: ", $nc->response['headers']['sec-websocket-extensions'][0], "\n";
    for ($k = 0; $k < 3; $k++) {
        $nc->send("echo $big");
        echo "  no-context message $k: ", $nc->recvMessage()[1] === md5($big) . ' flags 7' ? 'inflated' : 'wrong', "\n";
    }
    $clients[2]->send('checks');
    echo "  ", str_replace("\n", "\n  ", $clients[2]->recvMessage()[1]), "\n";
    $clients[3]->send('bye');
    $m = $clients[3]->recvMessage();
    echo "  disconnect: ", json_encode(TideWsClient::closeOf($m[1])), "\n";
    $clients[4]->send('other disconnect');
    $m = $clients[4]->recvMessage();
    echo "  disconnect from the other worker: ", preg_replace('/\d"/', 'N"', json_encode(TideWsClient::closeOf($m[1]))), "\n";
    $srv->stop();
}
?>
--EXPECTF--
process:
  broadcast: 6 of 6 got it; broadcast to 6 of N
  from worker N (asked by N): hi
  frame: [2,"a frame",false]
  deflate client, compressed push: intact, came compressed
  plain client, compressed push: intact, came plain
  compressed message 0: inflated
  compressed message 1: inflated
  compressed message 2: inflated
  client_no_context_takeover answer: permessage-deflate; server_no_context_takeover; client_no_context_takeover
  no-context message 0: inflated
  no-context message 1: inflated
  no-context message 2: inflated
  plain established: false
  unknown established: false
  push to plain: false Tide\WebSocket\Server::push(): connection #%d is not a WebSocket connection (its handshake has not been accepted)
  push to unknown: false
  Tide\WebSocket\Server::push(): Argument #3 ($opcode) must be a Tide\WebSocket\OPCODE_* constant, 3 given
  Tide\WebSocket\Server::push(): Argument #2 ($data) is a control frame (opcode 9): at most 125 bytes, with FLAG_FIN
  Tide\WebSocket\Server::disconnect(): Argument #2 ($code) must be a close code a server may send (1000-1003, 1007-1014, 3000-4999), 1005 given
  Tide\WebSocket\Server::disconnect(): Argument #3 ($reason) must be at most 123 bytes long, 124 given
  Tide\WebSocket\Server::push(): Argument #4 ($flags) must be Tide\WebSocket\FLAG_* constants, 64 given
  disconnect: [4321,"see you"]
  disconnect from the other worker: [4444,"from worker N"]
base:
  broadcast: 6 of 6 got it; broadcast to 6 of N
  from worker N (asked by N): hi
  frame: [2,"a frame",false]
  deflate client, compressed push: intact, came compressed
  plain client, compressed push: intact, came plain
  compressed message 0: inflated
  compressed message 1: inflated
  compressed message 2: inflated
  client_no_context_takeover answer: permessage-deflate; server_no_context_takeover; client_no_context_takeover
  no-context message 0: inflated
  no-context message 1: inflated
  no-context message 2: inflated
  plain established: false
  unknown established: false
  push to plain: false Tide\WebSocket\Server::push(): connection #%d is not a WebSocket connection (its handshake has not been accepted)
  push to unknown: false
  Tide\WebSocket\Server::push(): Argument #3 ($opcode) must be a Tide\WebSocket\OPCODE_* constant, 3 given
  Tide\WebSocket\Server::push(): Argument #2 ($data) is a control frame (opcode 9): at most 125 bytes, with FLAG_FIN
  Tide\WebSocket\Server::disconnect(): Argument #2 ($code) must be a close code a server may send (1000-1003, 1007-1014, 3000-4999), 1005 given
  Tide\WebSocket\Server::disconnect(): Argument #3 ($reason) must be at most 123 bytes long, 124 given
  Tide\WebSocket\Server::push(): Argument #4 ($flags) must be Tide\WebSocket\FLAG_* constants, 64 given
  disconnect: [4321,"see you"]
  disconnect from the other worker: [4444,"from worker N"]
