--TEST--
Tide\Coroutine\Http\Server: heartbeat_idle_time closes a connection that sends nothing for that long while a request is awaited (a silent client, a keep-alive client after its response, a client stalled in the middle of a body); 300 silent connections are all closed, memory comes back near idle and a bystander is answered; a WebSocket recv() without a timeout waits that long too; without the setting a silent connection stays open; a bad value is a ValueError
--EXTENSIONS--
tide
--FILE--
<?php
/* Seconds until the server closes $c (false: still open after $max seconds). */
function closed_after($c, float $max): float|false
{
    $t = microtime(true);
    stream_set_timeout($c, (int) ceil($max));
    while (microtime(true) - $t < $max) {
        $d = fread($c, 65536);
        if ($d === '' && feof($c)) {
            return microtime(true) - $t;
        }
        if ($d === '' || $d === false) {
            break; /* the read timed out: still open */
        }
    }
    return false;
}

Tide\run(function () {
    $server = new Tide\Coroutine\Http\Server('127.0.0.1', 0);
    $server->set(['heartbeat_idle_time' => 0.3]);
    $server->handle('/', fn($req, $resp) => $resp->end('hi'));
    $server->handle('/ws', function ($req, $ws) {
        $ws->upgrade();
        $t = microtime(true);
        $r = $ws->recv();
        $ws->push('recv() gave ' . var_export($r, true) . ' after the idle time: '
                  . var_export(microtime(true) - $t >= 0.25 && microtime(true) - $t < 3, true));
    });
    $port = $server->port;
    Tide\go(fn() => $server->start());

    $c = stream_socket_client("tcp://127.0.0.1:$port");
    $t = closed_after($c, 5);
    echo 'silent client closed after the idle time: ', var_export($t !== false && $t >= 0.25 && $t < 3, true), "\n";

    $c = stream_socket_client("tcp://127.0.0.1:$port");
    fwrite($c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    $head = fread($c, 4096);
    echo 'keep-alive client answered: ', strtok($head, "\r\n"), "\n";
    $t = closed_after($c, 5);
    echo 'then closed after the idle time: ', var_export($t !== false && $t >= 0.25 && $t < 3, true), "\n";

    $c = stream_socket_client("tcp://127.0.0.1:$port");
    fwrite($c, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nhalf a body");
    $t = closed_after($c, 5);
    echo 'client stalled in a body closed: ', var_export($t !== false && $t < 3, true), "\n";

    $ws = new Tide\Coroutine\Http\Client('127.0.0.1', $port);
    $ws->upgrade('/ws');
    echo 'WebSocket: ', $ws->recv(5)->data, "\n";

    $idle = memory_get_usage();
    $flood = [];
    for ($i = 0; $i < 300; $i++) {
        $flood[] = stream_socket_client("tcp://127.0.0.1:$port");
    }
    $peak = memory_get_usage();
    $all = 0;
    foreach ($flood as $f) {
        $all += closed_after($f, 5) !== false ? 1 : 0;
    }
    $flood = [];
    echo "silent flood: $all of 300 closed; memory near idle after: ",
        var_export(memory_get_usage() - $idle < 256 * 1024, true), "\n";
    $c = stream_socket_client("tcp://127.0.0.1:$port");
    fwrite($c, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    echo 'bystander: ', strtok(stream_get_contents($c), "\r\n"), "\n";

    $server->shutdown();

    $quiet = new Tide\Coroutine\Http\Server('127.0.0.1', 0);
    $quiet->handle('/', fn($req, $resp) => $resp->end('hi'));
    $p = $quiet->port;
    Tide\go(fn() => $quiet->start());
    $c = stream_socket_client("tcp://127.0.0.1:$p");
    echo 'without the setting, still open after 1 s: ', var_export(closed_after($c, 1) === false, true), "\n";
    $quiet->shutdown();

    foreach ([-1, 'x', 86400 * 31] as $bad) {
        try {
            $quiet->set(['heartbeat_idle_time' => $bad]);
        } catch (ValueError $e) {
            echo $e->getMessage(), "\n";
        }
    }
});
?>
--EXPECT--
silent client closed after the idle time: true
keep-alive client answered: HTTP/1.1 200 OK
then closed after the idle time: true
client stalled in a body closed: true
WebSocket: recv() gave false after the idle time: true
silent flood: 300 of 300 closed; memory near idle after: true
bystander: HTTP/1.1 200 OK
without the setting, still open after 1 s: true
Setting 'heartbeat_idle_time' must be between 0 (none) and 2592000 seconds
Setting 'heartbeat_idle_time' must be between 0 (none) and 2592000 seconds
Setting 'heartbeat_idle_time' must be between 0 (none) and 2592000 seconds
