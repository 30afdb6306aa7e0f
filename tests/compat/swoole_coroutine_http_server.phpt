--TEST--
tide.swoole_compat=On: a Swoole-style coroutine HTTP server program (Co\Http\Server and Swoole\Coroutine\Http\Server inside Co\run(), handle() by path prefix, keep-alive, a POST body, a bad request answered 400 beside a served client, shutdown() ending start()) runs unchanged
--INI--
tide.swoole_compat=On
--EXTENSIONS--
tide
--FILE--
<?php
use Swoole\Coroutine\Http\Client;

var_dump(Co\Http\Server::class === 'Co\Http\Server', (new ReflectionClass('Co\Http\Server'))->getName());

Co\run(function () {
    $server = new Co\Http\Server('127.0.0.1', 0);
    var_dump($server instanceof Swoole\Coroutine\Http\Server, $server->port > 0);
    $server->set(['http_parse_post' => true, 'http_parse_cookie' => true]);
    $server->handle('/', fn($req, $resp) => $resp->end('hi'));
    $server->handle('/user', function (Swoole\Http\Request $request, Swoole\Http\Response $response) {
        $response->header('Content-Type', 'application/json');
        $response->end(json_encode([
            'method' => $request->server['request_method'],
            'uri' => $request->server['request_uri'],
            'get' => $request->get,
            'post' => $request->post,
            'ua' => $request->header['user-agent'],
        ]));
    });

    go(function () use ($server) {
        $cli = new Client('127.0.0.1', $server->port);
        $cli->set(['timeout' => 3, 'keep_alive' => true]);
        $cli->setHeaders(['User-Agent' => 'swoole-test']);
        $cli->get('/');
        echo $cli->statusCode, ' ', $cli->body, "\n";
        $cli->get('/user/42?x=1');
        echo $cli->statusCode, ' ', $cli->headers['content-type'], ' ', $cli->body, "\n";
        $cli->post('/user', ['name' => 'tide']);
        echo $cli->statusCode, ' ', $cli->body, "\n";

        $bad = new Co\Client(SWOOLE_SOCK_TCP);
        $bad->connect('127.0.0.1', $server->port, 3);
        $bad->send("NOT HTTP\r\n\r\n");
        $answer = '';
        while (($d = $bad->recv(3)) !== '' && $d !== false) {
            $answer .= $d;
        }
        echo strtok($answer, "\r\n"), "\n";

        $cli->get('/');
        echo 'bystander: ', $cli->statusCode, ' ', $cli->body, "\n";
        $server->shutdown();
    });
    var_dump($server->start());
    echo "start() returned\n";
});
?>
--EXPECT--
bool(true)
string(28) "Swoole\Coroutine\Http\Server"
bool(true)
bool(true)
200 hi
200 application/json {"method":"GET","uri":"\/user\/42","get":{"x":"1"},"post":null,"ua":"swoole-test"}
200 {"method":"POST","uri":"\/user","get":null,"post":{"name":"tide"},"ua":"swoole-test"}
HTTP/1.1 400 Bad Request
bystander: 200 hi
bool(true)
start() returned
