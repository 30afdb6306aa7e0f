--TEST--
HTTP: a request's header, server, get, post, cookie and body reach the handler; the response's status, headers (repeated), cookies, HEAD, chunked write(), HTTP/1.0 and keep-alive, in both modes
--FILE--
<?php
require __DIR__ . '/../inc/http.inc';

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        $s = new Tide\Http\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 1]);
        $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
        $s->on('request', function (Tide\Http\Request $req, Tide\Http\Response $res) {
            switch ($req->server['request_uri']) {
            case '/echo':
                $res->status(201, 'Made');
                $res->header('x-multi', ['a', 'b']);
                $res->header('Content-Type', 'application/json');
                $res->cookie('sid', 'a b;c', time() + 60, '/', '', true, true, 'Strict');
                $res->rawcookie('raw', 'x%20y');
                $srv = $req->server;
                $res->end(json_encode([
                    'method' => $req->getMethod(), 'get' => $req->get, 'post' => $req->post,
                    'cookie' => $req->cookie, 'content' => $req->getContent(),
                    'header' => $req->header, 'fd' => $req->fd === $res->fd,
                    'server' => [$srv['request_method'], $srv['request_uri'], $srv['path_info'],
                                 $srv['query_string'] ?? null, $srv['server_protocol'],
                                 $srv['remote_addr'], is_int($srv['remote_port']),
                                 is_float($srv['request_time_float'])],
                ]));
                break;
            case '/head-only':
                /* what a framework does for HEAD: the GET's length, no body */
                $res->header('Content-Length', '1234');
                $res->end($req->getMethod() === 'HEAD' ? '' : str_repeat('x', 1234));
                break;
            case '/chunks':
                $res->write('one,');
                $res->write('two,');
                $res->end('three');
                break;
            default:
                $res->end('hello');
            }
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(1);
    $body = 'p=1&arr[]=x&arr[]=y';
    $r = tide_http($srv->port, "POST /echo?a=1&b%20c=d+e HTTP/1.1\r\nHost: x\r\nX-Dup: 1\r\nx-dup: 2\r\n"
        . "Cookie: k=v%21; k=later\r\nCookie: z=1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        . "Content-Length: " . strlen($body) . "\r\n\r\n$body");
    $j = json_decode($r['body'], true);
    echo "$name: {$r['status']} {$r['reason']}, type {$r['headers']['content-type']}, x-multi ",
        json_encode($r['headers']['x-multi']), "\n";
    echo "$name: cookies ", preg_replace('/expires=[^;]+; Max-Age=\d+/', 'expires=T; Max-Age=N',
        json_encode($r['headers']['set-cookie'])), "\n";
    echo "$name: ", json_encode([$j['method'], $j['get'], $j['post'], $j['cookie'], $j['content'], $j['fd']]), "\n";
    echo "$name: header ", json_encode(array_intersect_key($j['header'], ['x-dup' => 1, 'cookie' => 1, 'host' => 1])), "\n";
    echo "$name: server ", json_encode($j['server']), "\n";
    echo "$name: date ", preg_match('/^\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT$/', $r['headers']['date']) ? 'ok' : $r['headers']['date'],
        ", server ", $r['headers']['server'], "\n";

    /* HEAD: the headers of the GET, no body. */
    $c = tide_connect($srv->port);
    fwrite($c, "HEAD / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
    $h = tide_http_read($c, 5, true);
    $g = tide_http_read($c);
    echo "$name: HEAD {$h['status']} length {$h['headers']['content-length']} body '{$h['body']}', then GET '{$g['body']}' on the same connection\n";
    fwrite($c, "HEAD /head-only HTTP/1.1\r\nHost: x\r\n\r\nGET /head-only HTTP/1.1\r\nHost: x\r\n\r\n");
    $h = tide_http_read($c, 5, true);
    $g = tide_http_read($c);
    echo "$name: HEAD answered with no body keeps the handler's length {$h['headers']['content-length']}, then GET ", strlen($g['body']), " bytes\n";

    /* Chunked write(), then keep-alive goes on. */
    fwrite($c, "GET /chunks HTTP/1.1\r\nHost: x\r\n\r\n");
    $k = tide_http_read($c);
    echo "$name: chunks: {$k['headers']['transfer-encoding']} '{$k['body']}'\n";
    fwrite($c, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    $last = tide_http_read($c);
    echo "$name: Connection: close -> ", $last['headers']['connection'], ", closed ", var_export(tide_closed_by_peer($c), true), "\n";

    /* HTTP/1.0: closed after the response unless keep-alive; write() without chunks. */
    $r10 = tide_http($srv->port, "GET /chunks HTTP/1.0\r\n\r\n");
    echo "$name: 1.0 write: '{$r10['body']}', closed ", var_export($r10['closed'], true), "\n";
    $c = tide_connect($srv->port);
    fwrite($c, "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    $a = tide_http_read($c);
    fwrite($c, "GET / HTTP/1.0\r\n\r\n");
    $b = tide_http_read($c);
    echo "$name: 1.0 keep-alive: {$a['headers']['connection']} '{$a['body']}' then '{$b['body']}'\n";
    $srv->stop();
}
?>
--EXPECT--
process: 201 Made, type application/json, x-multi ["a","b"]
process: cookies ["sid=a+b%3Bc; expires=T; Max-Age=N; path=\/; secure; HttpOnly; SameSite=Strict","raw=x%20y"]
process: ["POST",{"a":"1","b_c":"d e"},{"p":"1","arr":["x","y"]},{"k":"v!","z":"1"},"p=1&arr[]=x&arr[]=y",true]
process: header {"host":"x","x-dup":"1, 2","cookie":"k=v%21; k=later; z=1"}
process: server ["POST","\/echo","\/echo","a=1&b%20c=d+e","HTTP\/1.1","127.0.0.1",true,true]
process: date ok, server Tide
process: HEAD 200 length 5 body '', then GET 'hello' on the same connection
process: HEAD answered with no body keeps the handler's length 1234, then GET 1234 bytes
process: chunks: chunked 'one,two,three'
process: Connection: close -> close, closed true
process: 1.0 write: 'one,two,three', closed true
process: 1.0 keep-alive: keep-alive 'hello' then 'hello'
base: 201 Made, type application/json, x-multi ["a","b"]
base: cookies ["sid=a+b%3Bc; expires=T; Max-Age=N; path=\/; secure; HttpOnly; SameSite=Strict","raw=x%20y"]
base: ["POST",{"a":"1","b_c":"d e"},{"p":"1","arr":["x","y"]},{"k":"v!","z":"1"},"p=1&arr[]=x&arr[]=y",true]
base: header {"host":"x","x-dup":"1, 2","cookie":"k=v%21; k=later; z=1"}
base: server ["POST","\/echo","\/echo","a=1&b%20c=d+e","HTTP\/1.1","127.0.0.1",true,true]
base: date ok, server Tide
base: HEAD 200 length 5 body '', then GET 'hello' on the same connection
base: HEAD answered with no body keeps the handler's length 1234, then GET 1234 bytes
base: chunks: chunked 'one,two,three'
base: Connection: close -> close, closed true
base: 1.0 write: 'one,two,three', closed true
base: 1.0 keep-alive: keep-alive 'hello' then 'hello'
