--TEST--
tide.swoole_compat=On: Swoole\Http\Cookie built fluently (each with*() returns the same object) and sent by setCookie()/cookie(), setCookie()/setRawCookie() with Swoole 6's arguments, setHeader(), setStatusCode(), initHeader() and close() on Swoole\Http\Response, written as a Swoole user writes them, in both modes
--EXTENSIONS--
tide
--INI--
tide.swoole_compat=On
--FILE--
<?php
require __DIR__ . '/../inc/http.inc';

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        $http = new Swoole\Http\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $http->set(['worker_num' => 1]);
        $http->on('workerStart', fn($s, $id) => tide_test_ready($s));
        $http->on('request', function (Swoole\Http\Request $request, Swoole\Http\Response $response) {
            switch ($request->server['request_uri']) {
            case '/cookie':
                $cookie = new Swoole\Http\Cookie();
                $same = $cookie->withName('session')->withValue('a b')->withPath('/')->withDomain('example.com')
                               ->withSecure(true)->withHttpOnly(true)->withSameSite('Strict') === $cookie;
                $response->setCookie($cookie);
                $raw = (new Swoole\Http\Cookie(false))->withName('raw')->withValue('a+b')->withPartitioned(true)
                                                      ->withSecure(true);
                $response->cookie($raw);
                $response->setCookie('plain', 'x y', 0, '/p');
                $response->setRawCookie('rawplain', 'x+y', 0, '', '', false, false, '', 'High', true);
                $response->setHeader('x-same-object', var_export($same, true));
                $response->setStatusCode(201, 'Made');
                $response->end('ok');
                break;
            case '/init':
                $response->header('X-Dropped', '1');
                $response->setCookie('dropped', '1');
                $response->initHeader();
                $response->setHeader('X-Kept', '1');
                $response->end('init');
                break;
            case '/close':
                $response->write('part');
                var_dump($response->close(), $response->isWritable());
                break;
            }
        });
        $http->start();
    PHP, $mode);
    $srv->waitReady(1);

    $r = tide_http($srv->port, "GET /cookie HTTP/1.1\r\nHost: x\r\n\r\n");
    echo "$name: {$r['status']} {$r['reason']}, same object: {$r['headers']['x-same-object']}\n";
    foreach ((array) $r['headers']['set-cookie'] as $c) {
        echo "  Set-Cookie: $c\n";
    }
    $r = tide_http($srv->port, "GET /init HTTP/1.1\r\nHost: x\r\n\r\n");
    echo "$name: initHeader: X-Dropped ", isset($r['headers']['x-dropped']) ? 'sent' : 'gone', ", cookie ",
         isset($r['headers']['set-cookie']) ? 'sent' : 'gone', ", X-Kept ", $r['headers']['x-kept'] ?? '-', ", body {$r['body']}\n";
    $c = tide_connect($srv->port);
    fwrite($c, "GET /close HTTP/1.1\r\nHost: x\r\n\r\n");
    $got = tide_read_until($c, "\r\n\r\nXXX", 5); // everything until the server closes
    echo "$name: close(): connection closed: ", json_encode(tide_closed_by_peer($c, 3)), ", head sent: ",
         json_encode(str_starts_with($got, 'HTTP/1.1 200')), ", no 500: ", json_encode(!str_contains($got, '500')), "\n";
    $srv->waitFor('bool(false)');
    $srv->stop();
    echo $srv->out() === '' ? '' : preg_replace('/^READY.*\n/m', '', $srv->out());
}
?>
--EXPECTF--
process: 201 Made, same object: true
  Set-Cookie: session=a+b; path=/; domain=example.com; secure; HttpOnly; SameSite=Strict
  Set-Cookie: raw=a+b; secure; Partitioned
  Set-Cookie: plain=x+y; path=/p
  Set-Cookie: rawplain=x+y; Priority=High; Partitioned
process: initHeader: X-Dropped gone, cookie gone, X-Kept 1, body init
process: close(): connection closed: true, head sent: true, no 500: true
bool(true)
bool(false)
base: 201 Made, same object: true
  Set-Cookie: session=a+b; path=/; domain=example.com; secure; HttpOnly; SameSite=Strict
  Set-Cookie: raw=a+b; secure; Partitioned
  Set-Cookie: plain=x+y; path=/p
  Set-Cookie: rawplain=x+y; Priority=High; Partitioned
base: initHeader: X-Dropped gone, cookie gone, X-Kept 1, body init
base: close(): connection closed: true, head sent: true, no 500: true
bool(true)
bool(false)
