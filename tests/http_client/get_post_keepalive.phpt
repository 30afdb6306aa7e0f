--TEST--
Tide\Coroutine\Http\Client: get(), post() with a string and with an array (form-urlencoded), setHeaders(), setMethod(), a Host header, and keep-alive: every request on the same connection (the server sees one fd and one client port)
--EXTENSIONS--
tide
--FILE--
<?php
require __DIR__ . '/../inc/http_client.inc';
$srv = tide_client_server();

Tide\run(function () use ($srv) {
    $c = new Tide\Coroutine\Http\Client('127.0.0.1', $srv->port);
    $c->setHeaders(['X-Test' => 'yes', 'User-Agent' => 'tide-test']);
    var_dump($c->get('/echo?a=1&b=two'));
    $j = json_decode($c->body, true);
    echo "GET: {$c->statusCode} {$j['method']} {$j['uri']} {$j['query']} host={$j['header']['host']} x-test={$j['header']['x-test']}\n";
    $fd = $j['fd'];
    $port = $j['port'];
    var_dump($c->connected, $c->getStatusCode(), $c->getHeaders()['content-type']);
    var_dump(str_starts_with($c->getHeaderOut(), "GET /echo?a=1&b=two HTTP/1.1\r\n"));

    var_dump($c->post('/echo', 'raw body'));
    $j = json_decode($c->getBody(), true);
    echo "POST string: {$j['method']} '{$j['body']}' same connection: ", var_export($j['fd'] === $fd && $j['port'] === $port, true), "\n";

    var_dump($c->post('/echo', ['name' => 'a b', 'list' => [1, 2]]));
    $j = json_decode($c->body, true);
    echo "POST array: {$j['header']['content-type']} ", json_encode($j['post']), " same: ", var_export($j['fd'] === $fd, true), "\n";

    $c->setMethod('put');
    $c->setData('{"x":1}');
    var_dump($c->execute('/echo'));
    $j = json_decode($c->body, true);
    echo "PUT: {$j['method']} {$j['body']} same: ", var_export($j['fd'] === $fd, true), "\n";
    // after a request the method and data are forgotten: a plain GET again
    var_dump($c->requestMethod, $c->requestBody);
    $c->execute('/echo');
    echo "then: ", json_decode($c->body, true)['method'], "\n";

    $c->get('/nowhere');
    echo "404: {$c->statusCode} {$c->body}\n";
    $c->get('/redirect');
    echo "redirect not followed: {$c->statusCode} {$c->headers['location']}\n";
    var_dump($c->close(), $c->connected);
    // a new connection after close()
    $c->get('/echo');
    echo "reconnected: ", var_export(json_decode($c->body, true)['fd'] !== $fd, true), "\n";
});
$srv->stop();
?>
--EXPECTF--
bool(true)
GET: 200 GET /echo a=1&b=two host=127.0.0.1:%d x-test=yes
bool(true)
int(200)
string(16) "application/json"
bool(true)
bool(true)
POST string: POST 'raw body' same connection: true
bool(true)
POST array: application/x-www-form-urlencoded {"name":"a b","list":["1","2"]} same: true
bool(true)
PUT: PUT {"x":1} same: true
NULL
NULL
then: GET
404: 404 no such route
redirect not followed: 302 /echo
bool(true)
bool(false)
reconnected: true
