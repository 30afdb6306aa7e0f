--TEST--
tide.swoole_compat=On: Swoole\Client in synchronous mode as Swoole code uses it (new Swoole\Client(SWOOLE_SOCK_TCP, SWOOLE_SOCK_SYNC), connect with a timeout, send, recv, close); SWOOLE_SOCK_ASYNC is refused with a ValueError that says why
--EXTENSIONS--
tide
pcntl
--INI--
tide.swoole_compat=On
--FILE--
<?php
$path = sys_get_temp_dir() . '/tide-swoole-client-' . getmypid() . '.sock';
@unlink($path);
$server = stream_socket_server("unix://$path", $errno, $errstr);
$pid = pcntl_fork();
if ($pid === 0) {
    $conn = stream_socket_accept($server, 5);
    while (($d = fread($conn, 8192)) !== false && $d !== '') {
        fwrite($conn, strrev($d));
    }
    exit(0);
}
fclose($server);

var_dump(SWOOLE_SOCK_SYNC, SWOOLE_SOCK_ASYNC);
$client = new Swoole\Client(SWOOLE_SOCK_UNIX_STREAM, SWOOLE_SOCK_SYNC);
if (!$client->connect($path, 0, 2.0)) {
    exit("connect failed. Error: {$client->errCode}\n");
}
$client->send("hello world");
echo $client->recv(11, Swoole\Client::MSG_WAITALL), "\n";
var_dump($client->isConnected(), $client instanceof Tide\Client);
$client->close();
pcntl_waitpid($pid, $status);
@unlink($path);

try {
    new Swoole\Client(SWOOLE_SOCK_TCP, SWOOLE_SOCK_ASYNC);
} catch (ValueError $e) {
    echo $e->getMessage(), "\n";
}
?>
--EXPECT--
bool(false)
bool(true)
dlrow olleh
bool(true)
bool(true)
Swoole\Client::__construct(): Argument #2 ($async) must be false (SWOOLE_SOCK_SYNC): the asynchronous client was removed in Swoole 4.3; use Tide\Coroutine\Client in a coroutine
