--TEST--
tide.swoole_compat=On: Swoole\Coroutine\Client and Co\Client as Swoole code uses them (SWOOLE_SOCK_TCP, set() with Swoole's keys, connect/send/recv, EOF framing, a recv timeout with errCode 110, a refused connect with 111, '' at the peer's close), SWOOLE_TCP and friends
--EXTENSIONS--
tide
--INI--
tide.swoole_compat=On
--FILE--
<?php
use Swoole\Coroutine;
use Swoole\Coroutine\Client;
use function Swoole\Coroutine\run;

var_dump(Client::class, (new ReflectionClass('Co\Client'))->getName() === 'Swoole\Coroutine\Client');
var_dump(SWOOLE_TCP === SWOOLE_SOCK_TCP, SWOOLE_UDP === SWOOLE_SOCK_UDP, SWOOLE_UNIX_STREAM === SWOOLE_SOCK_UNIX_STREAM);

Co\run(function () {
    $server = stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr);
    $port = (int) substr(strrchr(stream_socket_get_name($server, false), ':'), 1);
    go(function () use ($server) {
        $conn = stream_socket_accept($server, 5);
        while (($line = fgets($conn)) !== false) {
            if (trim($line) === 'quiet') {
                continue;
            }
            fwrite($conn, "reply: $line");
            if (trim($line) === 'bye') {
                break;
            }
        }
        fclose($conn);
    });

    $client = new Client(SWOOLE_SOCK_TCP);
    $client->set([
        'open_eof_check' => true,
        'open_eof_split' => true,
        'package_eof' => "\r\n",
        'package_max_length' => 1024 * 1024,
        'connect_timeout' => 1.0,
        'read_timeout' => 0.3,
        'write_timeout' => 1.0,
    ]);
    if (!$client->connect('127.0.0.1', $port)) {
        echo "connect failed. Error: {$client->errCode}\n";
        return;
    }
    $client->send("hello\r\n");
    echo $client->recv();
    $client->send("quiet\r\n");
    var_dump($client->recv(), $client->errCode === 110);
    $client->send("bye\r\n");
    echo $client->recv();
    var_dump($client->recv());
    $client->close();

    $bad = new Co\Client(SWOOLE_SOCK_TCP);
    $s = stream_socket_server('tcp://127.0.0.1:0');
    $free = (int) substr(strrchr(stream_socket_get_name($s, false), ':'), 1);
    fclose($s);
    if (!$bad->connect('127.0.0.1', $free, 1)) {
        echo "connect failed. Error: {$bad->errCode} {$bad->errMsg}\n";
    }
});
?>
--EXPECT--
string(23) "Swoole\Coroutine\Client"
bool(true)
bool(true)
bool(true)
bool(true)
reply: hello
bool(false)
bool(true)
reply: bye
string(0) ""
connect failed. Error: 111 Connection refused
