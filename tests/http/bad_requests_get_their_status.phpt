--TEST--
HTTP: bad requests get their status and a closed connection (malformed 400, header section over http_max_header_size 431, body over package_max_length 413, Content-Length with Transfer-Encoding or two lengths 400, a bad chunk size 400, a coding other than chunked 501, HTTP/2.0 505), while another connection is served throughout, in both modes
--FILE--
<?php
require __DIR__ . '/../inc/http.inc';

$cases = [
    'malformed request line' => "GET  / HTTP/1.1\r\nHost: x\r\n\r\n",
    'space before a colon' => "GET / HTTP/1.1\r\nHost : x\r\n\r\n",
    'folded header' => "GET / HTTP/1.1\r\nHost: x\r\nA: b\r\n c\r\n\r\n",
    'no Host' => "GET / HTTP/1.1\r\n\r\n",
    'header section too large' => "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " . str_repeat('a', 5000) . "\r\n\r\n",
    'endless header' => "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " . str_repeat('a', 5000),
    'body too large' => "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n",
    'chunked body too large' => "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" . str_repeat("4000\r\n" . str_repeat('x', 0x4000) . "\r\n", 5),
    'CL and TE' => "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    'two lengths' => "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
    'bad chunk size' => "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n",
    'gzip coding' => "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
    'HTTP/2.0' => "GET / HTTP/2.0\r\nHost: x\r\n\r\n",
    'after a good one' => "GET / HTTP/1.1\r\nHost: x\r\n\r\nBAD\r\n\r\n",
];
foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        $s = new Tide\Http\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 1, 'http_max_header_size' => 4096, 'package_max_length' => 65536,
                 'log_level' => 5]);
        $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
        $s->on('request', fn($req, $res) => $res->end('ok ' . strlen($req->getContent())));
        $s->start();
    PHP, $mode);
    $srv->waitReady(1);
    $by = tide_connect($srv->port);
    foreach ($cases as $what => $req) {
        $c = tide_connect($srv->port);
        fwrite($c, $req);
        $out = [];
        while ($r = tide_http_read($c, 3)) {
            $out[] = $r['status'] . ($r['status'] >= 400 ? '' : " '{$r['body']}'");
        }
        $closed = tide_closed_by_peer($c, 3);
        fclose($c);
        fwrite($by, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        $b = tide_http_read($by);
        echo "$name: $what: ", implode(', ', $out), $closed ? ', closed' : ', NOT closed',
            $b && $b['body'] === 'ok 0' ? '' : ', bystander not answered', "\n";
    }
    $srv->stop();
}
?>
--EXPECT--
process: malformed request line: 400, closed
process: space before a colon: 400, closed
process: folded header: 400, closed
process: no Host: 400, closed
process: header section too large: 431, closed
process: endless header: 431, closed
process: body too large: 413, closed
process: chunked body too large: 413, closed
process: CL and TE: 400, closed
process: two lengths: 400, closed
process: bad chunk size: 400, closed
process: gzip coding: 501, closed
process: HTTP/2.0: 505, closed
process: after a good one: 200 'ok 0', 400, closed
base: malformed request line: 400, closed
base: space before a colon: 400, closed
base: folded header: 400, closed
base: no Host: 400, closed
base: header section too large: 431, closed
base: endless header: 431, closed
base: body too large: 413, closed
base: chunked body too large: 413, closed
base: CL and TE: 400, closed
base: two lengths: 400, closed
base: bad chunk size: 400, closed
base: gzip coding: 501, closed
base: HTTP/2.0: 505, closed
base: after a good one: 200 'ok 0', 400, closed
