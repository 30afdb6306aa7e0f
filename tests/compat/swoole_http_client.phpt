--TEST--
tide.swoole_compat=On: a Swoole-style HTTP client program (Swoole\Coroutine\Http\Client and Co\Http\Client inside Co\run(), set(), setHeaders(), get(), post(), statusCode and the negative codes, WebSocket upgrade with push()/recv() and WEBSOCKET_OPCODE_TEXT) runs unchanged; unknown settings are a ValueError naming the key
--INI--
tide.swoole_compat=On
--EXTENSIONS--
tide
--FILE--
<?php
require __DIR__ . '/../inc/http_client.inc';
$srv = tide_client_server();
$port = $srv->port;

use Swoole\Coroutine\Http\Client;
use function Swoole\Coroutine\run;

var_dump(new Co\Http\Client('127.0.0.1', 80) instanceof Swoole\Coroutine\Http\Client);

Co\run(function () use ($port) {
    $cli = new Client('127.0.0.1', $port);
    $cli->set(['timeout' => 3, 'keep_alive' => true]);
    $cli->setHeaders(['Host' => 'localhost', 'User-Agent' => 'Chrome/49.0.2587.3', 'Accept' => 'text/html']);
    $cli->get('/echo?x=1');
    $j = json_decode($cli->body, true);
    echo $cli->statusCode, ' ', $j['header']['host'], ' ', $j['query'], "\n";
    $cli->post('/echo', ['a' => '1']);
    echo json_encode(json_decode($cli->body, true)['post']), "\n";
    $cli->close();

    $wg = new Swoole\Coroutine\WaitGroup();
    $wg->add();
    go(function () use ($port, $wg) {
        $cli = new Co\Http\Client('127.0.0.1', $port);
        $ret = $cli->upgrade('/');
        if ($ret) {
            $cli->push('hello', WEBSOCKET_OPCODE_TEXT, SWOOLE_WEBSOCKET_FLAG_FIN);
            $frame = $cli->recv();
            echo get_class($frame), ' ', $frame instanceof Swoole\WebSocket\Frame ? 'Frame' : '', ' ', $frame->data, "\n";
            $cli->close();
        }
        $wg->done();
    });
    $wg->wait();

    $cli = new Client('127.0.0.1', 1);
    $cli->get('/');
    echo "refused: {$cli->statusCode} {$cli->errCode}\n";

    try {
        (new Client('127.0.0.1', $port))->set(['socks5_host' => 'x']);
    } catch (ValueError $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
});
$srv->stop();
?>
--EXPECT--
bool(true)
200 localhost x=1
{"a":"1"}
Swoole\WebSocket\Frame Frame echo:hello
refused: -1 111
ValueError: Unknown setting 'socks5_host' for Tide\Coroutine\Http\Client
