--TEST--
Tide\Coroutine\Http\Server: routes by longest path prefix, keeps connections alive, answers pipelined requests in order, parses POST bodies, answers a bad request 400 (and 404, 408, 413, 431, 500) while serving others, and shutdown() ends start()
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine\Http\Server;
use Tide\Coroutine\Http\Client;

/* Sends raw bytes and reads until the server closes the connection. */
function raw(int $port, string $bytes): string
{
    $c = new Tide\Coroutine\Client(Tide\SOCK_TCP);
    $c->connect('127.0.0.1', $port, 5);
    $c->send($bytes);
    $all = '';
    while (($d = $c->recv(5)) !== '' && $d !== false) {
        $all .= $d;
    }
    $c->close();
    return $all;
}

function statuses(string $raw): string
{
    preg_match_all('#HTTP/1\.1 (\d{3}) #', $raw, $m);
    return implode(',', $m[1]);
}

try {
    (new Server('127.0.0.1', 0))->start();
} catch (Tide\Exception $e) {
    echo get_class($e), ": outside a coroutine\n";
}

Tide\run(function () {
    $server = new Server('127.0.0.1', 0);
    var_dump($server->port > 0, $server->host, $server->fd > 0);
    try {
        $server->set(['http_parse_post' => true, 'no_such_key' => 1]);
    } catch (ValueError $e) {
        echo $e->getMessage() === "Unknown setting 'no_such_key' for Tide\\Coroutine\\Http\\Server (it takes "
            . "http_parse_post, http_parse_cookie, http_compression, http_compression_level, "
            . "http_compression_min_length, package_max_length, http_max_header_size, "
            . "http_header_timeout, heartbeat_idle_time, upload_max_filesize)" ? "ValueError names the key\n" : $e->getMessage() . "\n";
    }
    var_dump($server->set(['package_max_length' => 1024, 'http_max_header_size' => 2048]));
    var_dump($server->settings);

    $server->handle('/', function ($req, $resp) {
        $resp->end('root ' . $req->server['request_uri']);
    });
    $server->handle('/api', function ($req, $resp) {
        $resp->status(201);
        $resp->header('X-Route', 'api');
        $resp->cookie('c', 'v w');
        $resp->end('api ' . json_encode($req->post) . ' ' . $req->getContent() . ' ' . ($req->cookie['k'] ?? '-'));
    });
    $server->handle('/api/v2', function ($req, $resp) {
        $resp->write('v2 ');
        $resp->write(json_encode($req->get));
        $resp->end();
    });
    $server->handle('/port', function ($req, $resp) {
        $resp->end((string) $req->server['remote_port']);
    });
    $server->handle('/forgot', function ($req, $resp) {
        /* no end(): answered 500 */
    });

    $slowDone = new Tide\Coroutine\Channel(1);
    Tide\go(function () use ($server, $slowDone) {
        $port = $server->port;
        $c = new Client('127.0.0.1', $port);
        $c->get('/x');
        echo $c->statusCode, ' ', $c->body, "\n";
        $c->get('/api/v2/q?a=1');
        echo $c->statusCode, ' ', $c->body, "\n";
        $c->get('/apixyz');
        echo $c->statusCode, ' ', $c->body, "\n";
        $c->setCookies(['k' => 'cookie']);
        $c->post('/API/form', ['k' => 'v']);
        echo $c->statusCode, ' ', $c->body, ' ', $c->headers['x-route'], ' ', $c->set_cookie_headers[0], "\n";
        $c->get('/port');
        $first = $c->body;
        $c->get('/port');
        echo 'keep-alive: ', $first === $c->body ? 'same connection' : "new connection $first {$c->body}", "\n";

        /* pipelined: three requests in one write, answered in order */
        $r = raw($port, "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /api/v2?n=2 HTTP/1.1\r\nHost: x\r\n\r\n"
            . "GET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        preg_match_all('#\r\n\r\n(root /a|[0-9a-f]+\r\nv2 \r\n[0-9a-f]+\r\n\{"n":"2"\}\r\n0\r\n\r\n|root /c)#', $r, $m);
        echo 'pipelined: ', statuses($r), ' ', count($m[1]), " bodies in order\n";

        /* a client that stops in the middle of its head holds only its own coroutine */
        $slow = new Tide\Coroutine\Client(Tide\SOCK_TCP);
        $slow->connect('127.0.0.1', $port, 5);
        $slow->send("GET /slow HTTP/1.1\r\nHo");

        /* a bad request: 400 and closed; the open keep-alive client is served after it */
        echo 'garbage: ', statuses(raw($port, "GARBAGE\x01 / HTTP/1.1\r\n\r\n")), "\n";
        echo 'too long a body: ', statuses(raw($port, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n")), "\n";
        echo 'too big a head: ', statuses(raw($port, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " . str_repeat('a', 4000) . "\r\n\r\n")), "\n";
        echo 'no end(): ', statuses(raw($port, "GET /forgot HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")), "\n";
        $c->get('/port');
        echo 'bystander: ', $c->statusCode, ' ', $first === $c->body ? 'same connection' : 'new connection', "\n";

        /* shutdown() with this keep-alive connection idle ends start() */
        $server->shutdown();
        $slowDone->push(json_encode($slow->recv(5)));
    });
    var_dump($server->start());
    echo "start() returned\n";
    echo 'half a head, after shutdown(): ', $slowDone->pop(5), "\n";

    $only = new Server('127.0.0.1', 0);
    $only->handle('/only', fn($req, $resp) => $resp->end('only'));
    $only->set(['http_header_timeout' => 0.2]);
    Tide\go(function () use ($only) {
        echo 'no route: ', statuses(raw($only->port, "GET /other HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")), "\n";
        echo 'half a head for 0.2 s: ', statuses(raw($only->port, "GET /only HTTP/1.1\r\nHo")), "\n";
        $only->shutdown();
    });
    var_dump($only->start(), $only->start());
});
echo "done\n";
?>
--EXPECTF--
Tide\Exception: outside a coroutine
bool(true)
string(9) "127.0.0.1"
bool(true)
ValueError names the key
bool(true)
array(2) {
  ["package_max_length"]=>
  int(1024)
  ["http_max_header_size"]=>
  int(2048)
}
200 root /x
200 v2 {"a":"1"}
201 api null  -
201 api {"k":"v"} k=v cookie api c=v+w
keep-alive: same connection
pipelined: 200,200,200 3 bodies in order
garbage: 400
too long a body: 413
too big a head: 431
no end(): [tide] connection #%d: the request handler returned without Tide\Http\Response::end(): answered 500
500
bystander: 200 same connection
bool(true)
start() returned
half a head, after shutdown(): ""
no route: 404
half a head for 0.2 s: 408
bool(true)
bool(false)
done
