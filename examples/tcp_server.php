<?php
/*
 * The Quick start server: a line-based TCP server on Tide\Server.
 *
 *   php -d extension=tide examples/tcp_server.php [port] [base|process]
 *
 * Each line gets an answer from the worker that serves the connection:
 *   PING       -> +PONG                       (works with redis-benchmark -t ping_inline)
 *   STATS      -> the server's counters as JSON
 *   SLEEP n    -> answers after n seconds, without blocking the worker (a coroutine sleeps)
 *   QUIT       -> closes the connection
 *   anything   -> echoed back
 * Try it: php -r '$c = stream_socket_client("tcp://127.0.0.1:9501");
 *                 fwrite($c, "hello\r\nSTATS\r\n"); echo fgets($c), fgets($c);'
 * Ctrl-C (or SIGTERM to the master) stops it gracefully; SIGUSR1 to the manager reloads
 * the workers one at a time.
 */
$port = (int) ($argv[1] ?? 9501);
$mode = ($argv[2] ?? 'process') === 'base' ? Tide\MODE_BASE : Tide\MODE_PROCESS;

$server = new Tide\Server('127.0.0.1', $port, $mode);
$server->set([
    'worker_num' => 2,
    'open_eof_split' => true,      // one receive per line
    'package_eof' => "\r\n",
    'package_max_length' => 8192,  // a longer line closes that connection
    'heartbeat_idle_time' => 300,  // idle connections are closed after 5 minutes
]);

$server->on('start', function (Tide\Server $s) use ($mode) {
    printf("Tide %s: %s server on 127.0.0.1:%d (master %d, manager %d)\n", Tide\VERSION,
        $mode === Tide\MODE_BASE ? 'MODE_BASE' : 'MODE_PROCESS', $s->ports[0]->port,
        $s->master_pid, $s->manager_pid);
});
$server->on('workerStart', function (Tide\Server $s, int $id) {
    printf("worker #%d ready (pid %d)\n", $id, getmypid());
});
$server->on('receive', function (Tide\Server $s, int $fd, int $reactorId, string $line) {
    $line = rtrim($line, "\r\n");
    [$cmd, $arg] = array_pad(explode(' ', $line, 2), 2, '');
    switch (strtoupper($cmd)) {
        case 'PING':
            $s->send($fd, "+PONG\r\n");
            break;
        case 'STATS':
            $s->send($fd, json_encode($s->stats()) . "\r\n");
            break;
        case 'SLEEP':
            Tide\Coroutine::sleep((float) $arg);
            $s->send($fd, "slept $arg s in worker #{$s->worker_id}\r\n");
            break;
        case 'QUIT':
            $s->send($fd, "bye\r\n");
            $s->close($fd);
            break;
        default:
            $s->send($fd, "worker #{$s->worker_id} heard: $line\r\n");
    }
});
$server->on('shutdown', function () {
    echo "stopped\n";
});
$server->start();
