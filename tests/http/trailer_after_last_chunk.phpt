--TEST--
Tide\Http\Response::trailer(): trailer fields go after the last chunk of a body sent by write(), or of end() (sent as one chunk then), announced by a Trailer header when the head has not gone yet; HTTP/1.0 and HEAD drop them; a bad name or value, or a field that frames the message, is a ValueError
--EXTENSIONS--
tide
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

$srv = new TideServerProc(<<<'PHP'
    $http = new Tide\Http\Server('127.0.0.1', 0, TIDE_TEST_MODE);
    $http->set(['worker_num' => 1]);
    $http->on('workerStart', fn($s, $id) => tide_test_ready($s));
    $http->on('request', function ($req, $res) {
        switch ($req->server['request_uri']) {
        case '/write':
            $res->trailer('X-Checksum', 'abc');
            $res->write('hello ');
            $res->trailer('X-Late', 'after the head');
            $res->end('world');
            break;
        case '/end':
            $res->trailer('Server-Timing', 'db;dur=53');
            $res->end('whole');
            break;
        case '/bad':
            $out = [];
            foreach ([fn() => $res->trailer('Bad Name', 'x'), fn() => $res->trailer('X-A', "a\r\nX-B: b"),
                      fn() => $res->trailer('Content-Length', '5'), fn() => $res->trailer('transfer-encoding', 'x')] as $bad) {
                try {
                    $bad();
                    $out[] = 'no error';
                } catch (ValueError $e) {
                    $out[] = $e->getMessage();
                }
            }
            $res->end(implode("\n", $out) . "\n");
            break;
        }
    });
    $http->start();
PHP, Tide\MODE_BASE);
$srv->waitReady(1);

function raw(int $port, string $req): string
{
    $c = tide_connect($port);
    fwrite($c, $req);
    $got = tide_read_until($c, "\r\n0\r\n", 5);
    $got .= tide_read_until($c, "\r\n\r\n", 1); // the trailers and the end of the chunked body
    return preg_replace('/^(Date|Server): .*\r\n/m', '', $got);
}

echo json_encode(raw($srv->port, "GET /write HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")), "\n";
echo json_encode(raw($srv->port, "GET /end HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")), "\n";
$c = tide_connect($srv->port);
fwrite($c, "GET /end HTTP/1.0\r\n\r\n");
echo json_encode(preg_replace('/^(Date|Server): .*\r\n/m', '', tide_read_until($c, "whole"))), "\n";
$c = tide_connect($srv->port);
fwrite($c, "HEAD /write HTTP/1.1\r\nHost: x\r\n\r\n");
$h = tide_read_until($c, "\r\n\r\n");
echo "HEAD: Trailer header ", str_contains($h, 'Trailer') ? 'sent' : 'not sent', ", body: ",
     json_encode(substr($h, strpos($h, "\r\n\r\n") + 4)), "\n";
$r = raw($srv->port, "GET /bad HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
echo substr($r, strpos($r, "\r\n\r\n") + 4);
$srv->stop();
?>
--EXPECT--
"HTTP\/1.1 200 OK\r\nVary: Accept-Encoding\r\nContent-Type: text\/html; charset=utf-8\r\nConnection: close\r\nTransfer-Encoding: chunked\r\nTrailer: X-Checksum\r\n\r\n6\r\nhello \r\n5\r\nworld\r\n0\r\nX-Checksum: abc\r\nX-Late: after the head\r\n\r\n"
"HTTP\/1.1 200 OK\r\nVary: Accept-Encoding\r\nContent-Type: text\/html; charset=utf-8\r\nConnection: close\r\nTransfer-Encoding: chunked\r\nTrailer: Server-Timing\r\n\r\n5\r\nwhole\r\n0\r\nServer-Timing: db;dur=53\r\n\r\n"
"HTTP\/1.1 200 OK\r\nContent-Type: text\/html; charset=utf-8\r\nConnection: close\r\nContent-Length: 5\r\n\r\nwhole"
HEAD: Trailer header not sent, body: ""
Tide\Http\Response::trailer(): Argument #1 ($key) must be a field name (letters, digits and !#$%&'*+-.^_`|~), 'Bad Name' given
Tide\Http\Response::trailer(): Argument #2 ($value) must not contain CR, LF or NUL (trailer 'X-A')
Tide\Http\Response::trailer(): Argument #1 ($key) cannot be a trailer ('Content-Length' frames, routes or describes the message: RFC 9110, 6.5.1)
Tide\Http\Response::trailer(): Argument #1 ($key) cannot be a trailer ('transfer-encoding' frames, routes or describes the message: RFC 9110, 6.5.1)
