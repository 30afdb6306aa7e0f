--TEST--
WebSocket handshake event: it replaces the default handshake (its 101 switches the connection, with the compression its own Sec-WebSocket-Extensions agreed to; a refusal stays plain HTTP), open is then not called (as in Swoole); Response::upgrade() in a request handler does the default handshake, after which messages go to the message event; upgrade() of a plain request is false with a warning; both modes
--FILE--
<?php
require __DIR__ . '/../inc/websocket.inc';
require __DIR__ . '/../inc/http.inc';

$server = <<<'PHP'
    $s = new Tide\WebSocket\Server('127.0.0.1', 0, TIDE_TEST_MODE);
    $s->set(['worker_num' => 1, 'log_level' => 5]);
    $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
    if (getenv('HANDSHAKE')) {
        $s->on('handshake', function (Tide\Http\Request $req, Tide\Http\Response $res) {
            if (($req->get['token'] ?? '') !== 'secret') {
                $res->status(403);
                $res->end("no token\n");
                return false;
            }
            $key = $req->header['sec-websocket-key'];
            $res->header('Upgrade', 'websocket');
            $res->header('Connection', 'Upgrade');
            $res->header('Sec-WebSocket-Accept', base64_encode(sha1($key . '258EAFA5-E914-47DA-95CA-C5AB0DC85B11', true)));
            $res->header('Sec-WebSocket-Protocol', 'chat');
            if (isset($req->header['sec-websocket-extensions'])) {
                $res->header('Sec-WebSocket-Extensions', 'permessage-deflate; server_no_context_takeover; client_no_context_takeover');
            }
            $res->status(101);
            $res->end();
            echo "handshake done for {$req->fd}\n";
            return true;
        });
        $s->on('open', fn() => print("open called\n"));
    } else {
        $s->on('request', function ($req, $res) {
            if ($req->server['request_uri'] === '/ws') {
                var_dump($res->upgrade());
                $s = $GLOBALS['s'];
                $s->push($req->fd, "welcome {$req->fd}");
                return;
            }
            var_dump(@$res->upgrade());
            echo error_get_last()['message'], "\n";
            $res->end("plain\n");
        });
    }
    $s->on('message', function ($s, $f) {
        $s->push($f->fd, "echo {$f->data} flags {$f->flags}");
    });
    $s->start();
PHP;
foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc($server, $mode, ['HANDSHAKE' => '1']);
    $srv->waitReady(1);
    $ws = TideWsClient::connect($srv->port, '/?token=secret', [], true);
    echo "$name, handshake event: {$ws->response['status']} protocol {$ws->response['headers']['sec-websocket-protocol'][0]} deflate ", var_export($ws->deflate, true), "\n";
    $ws->send('hi');
    echo "  ", $ws->recvMessage()[1], "\n";
    $ws->send('again');
    echo "  ", $ws->recvMessage()[1], "\n";
    $no = TideWsClient::connect($srv->port, '/?token=wrong');
    echo "  wrong token: {$no->response['status']} ", trim($no->response['body']), "\n";
    $srv->stop();
    echo $srv->out();

    $srv = new TideServerProc($server, $mode);
    $srv->waitReady(1);
    $ws = TideWsClient::connect($srv->port, '/ws');
    echo "$name, upgrade(): {$ws->response['status']}, ", $ws->recvMessage()[1], "\n";
    $ws->send('hello');
    echo "  ", $ws->recvMessage()[1], "\n";
    $r = tide_http($srv->port, "GET /page HTTP/1.1\r\nHost: x\r\n\r\n");
    echo "  plain: {$r['status']} ", trim($r['body']), "\n";
    $srv->stop();
    echo preg_replace('/#\d+/', '#N', $srv->out());
}
?>
--EXPECTF--
process, handshake event: 101 protocol chat deflate true
  echo hi flags 7
  echo again flags 7
  wrong token: 403 no token
READY %d 0 %d
handshake done for 1
process, upgrade(): 101, welcome %d
  echo hello flags 1
  plain: 200 plain
READY %d 0 %d
bool(true)
bool(false)
Tide\Http\Response::upgrade(): connection #N: upgrade(): the request is not a WebSocket upgrade on a port with open_websocket_protocol
base, handshake event: 101 protocol chat deflate true
  echo hi flags 7
  echo again flags 7
  wrong token: 403 no token
READY %d 0 %d
handshake done for %d
base, upgrade(): 101, welcome %d
  echo hello flags 1
  plain: 200 plain
READY %d 0 %d
bool(true)
bool(false)
Tide\Http\Response::upgrade(): connection #N: upgrade(): the request is not a WebSocket upgrade on a port with open_websocket_protocol
