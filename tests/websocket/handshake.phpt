--TEST--
WebSocket handshake: 101 with the right Sec-WebSocket-Accept; a missing or bad key, a POST, HTTP/1.0 or no Connection: Upgrade are answered 400, another version 426 naming version 13, each with the connection closed; a plain request on the same port goes to the request handler, and without one is answered 426; the open event gets the Request; both modes
--FILE--
<?php
require __DIR__ . '/../inc/websocket.inc';
require __DIR__ . '/../inc/http.inc';

$key = 'dGhlIHNhbXBsZSBub25jZQ==';
$bad = [
    'no key' => "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n",
    'short key' => "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: abc=\r\nSec-WebSocket-Version: 13\r\n\r\n",
    'key of 17 bytes' => "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " . base64_encode(random_bytes(17)) . "\r\nSec-WebSocket-Version: 13\r\n\r\n",
    'version 8' => "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: $key\r\nSec-WebSocket-Version: 8\r\n\r\n",
    'no version' => "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: $key\r\n\r\n",
    'POST' => "POST / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: $key\r\nSec-WebSocket-Version: 13\r\nContent-Length: 0\r\n\r\n",
    'HTTP/1.0' => "GET / HTTP/1.0\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: $key\r\nSec-WebSocket-Version: 13\r\n\r\n",
    'no Connection: Upgrade' => "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nSec-WebSocket-Key: $key\r\nSec-WebSocket-Version: 13\r\n\r\n",
];
$server = <<<'PHP'
    $s = new Tide\WebSocket\Server('127.0.0.1', 0, TIDE_TEST_MODE);
    $s->set(['worker_num' => 1, 'log_level' => 5]);
    $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
    $s->on('open', function ($s, $req) {
        echo "open fd {$req->fd} uri {$req->server['request_uri']} ", get_class($req), "\n";
    });
    $s->on('message', fn($s, $f) => $s->push($f->fd, $f->data));
    if (getenv('WITH_REQUEST')) {
        $s->on('request', fn($req, $res) => $res->end("plain {$req->server['request_uri']}\n"));
    }
    $s->start();
PHP;
foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc($server, $mode, ['WITH_REQUEST' => '1']);
    $srv->waitReady(1);
    // the RFC's own example key
    $c = tide_connect($srv->port);
    fwrite($c, "GET /chat?x=1 HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: $key\r\nOrigin: http://example.com\r\nSec-WebSocket-Version: 13\r\n\r\n");
    $r = tide_http_read($c);
    echo "$name: {$r['status']} accept {$r['headers']['sec-websocket-accept']} upgrade {$r['headers']['upgrade']} connection {$r['headers']['connection']}",
        isset($r['headers']['content-length']) ? ' (a Content-Length!)' : '', "\n";
    $ws = TideWsClient::connect($srv->port, '/x');
    $ws->send('hi');
    echo "  echo: ", $ws->recvMessage()[1], "\n";
    // frames in the same write as the Upgrade request: the new protocol gets them
    $early = new TideWsClient();
    $early->c = tide_connect($srv->port);
    fwrite($early->c, "GET /early HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: $key\r\nSec-WebSocket-Version: 13\r\n\r\n"
        . TideWsClient::frame(0x81, 'early one') . TideWsClient::frame(0x81, 'early two'));
    $early->readHandshake();
    echo "  early frames: {$early->response['status']} ", $early->recvMessage()[1], ', ', $early->recvMessage()[1], "\n";
    foreach ($bad as $what => $req) {
        $c = tide_connect($srv->port);
        fwrite($c, $req);
        $r = tide_http_read($c, 5);
        echo "  $what: ", $r ? $r['status'] . ($r['status'] == 426 ? ' version ' . ($r['headers']['sec-websocket-version'] ?? '-') : '') : 'no answer',
            ', ', tide_closed_by_peer($c) ? 'closed' : 'open', "\n";
    }
    $c = tide_connect($srv->port);
    fwrite($c, "GET /page HTTP/1.1\r\nHost: x\r\n\r\n");
    $r = tide_http_read($c);
    echo "  plain: {$r['status']} ", trim($r['body']), "\n";
    $srv->stop();
    echo $srv->out();

    $srv = new TideServerProc($server, $mode);
    $srv->waitReady(1);
    $c = tide_connect($srv->port);
    fwrite($c, "GET /page HTTP/1.1\r\nHost: x\r\n\r\n");
    $r = tide_http_read($c);
    echo "  plain, no request handler: {$r['status']} upgrade {$r['headers']['upgrade']} version {$r['headers']['sec-websocket-version']}, ",
        tide_closed_by_peer($c) ? 'closed' : 'open', "\n";
    $srv->stop();
}
?>
--EXPECTF--
process: 101 accept s3pPLMBiTxaQ9kYGzzhZRbK+xOo= upgrade websocket connection Upgrade
  echo: hi
  early frames: 101 early one, early two
  no key: 400, closed
  short key: 400, closed
  key of 17 bytes: 400, closed
  version 8: 426 version 13, closed
  no version: 426 version 13, closed
  POST: 400, closed
  HTTP/1.0: 400, closed
  no Connection: Upgrade: 400, closed
  plain: 200 plain /page
READY %d 0 %d
open fd 1 uri /chat Tide\Http\Request
open fd 2 uri /x Tide\Http\Request
open fd 3 uri /early Tide\Http\Request
  plain, no request handler: 426 upgrade websocket version 13, closed
base: 101 accept s3pPLMBiTxaQ9kYGzzhZRbK+xOo= upgrade websocket connection Upgrade
  echo: hi
  early frames: 101 early one, early two
  no key: 400, closed
  short key: 400, closed
  key of 17 bytes: 400, closed
  version 8: 426 version 13, closed
  no version: 426 version 13, closed
  POST: 400, closed
  HTTP/1.0: 400, closed
  no Connection: Upgrade: 400, closed
  plain: 200 plain /page
READY %d 0 %d
open fd %d uri /chat Tide\Http\Request
open fd %d uri /x Tide\Http\Request
open fd %d uri /early Tide\Http\Request
  plain, no request handler: 426 upgrade websocket version 13, closed
