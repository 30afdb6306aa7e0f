<?php
/*
 * The PING server of bench/server_ping.sh: answers each "PING\r\n" (redis inline command,
 * EOF framing) with "+PONG\r\n".
 *   php -d extension=tide.so bench/ping_server.php base|process PORT [WORKERS]
 * Prints "READY <port>" once every worker is up.
 */
$mode = ($argv[1] ?? 'base') === 'process' ? Tide\MODE_PROCESS : Tide\MODE_BASE;
$port = (int) ($argv[2] ?? 6390);
$workers = (int) ($argv[3] ?? 1);
$s = new Tide\Server('127.0.0.1', $port, $mode);
$s->set([
    'worker_num' => $workers,
    'open_eof_split' => true,
    'package_eof' => "\r\n",
    'log_level' => 4,
]);
$s->on('workerStart', function ($s, $id) use ($workers) {
    echo "READY {$s->ports[0]->port} $id\n";
});
$s->on('receive', function ($s, $fd, $rid, $data) {
    $s->send($fd, "+PONG\r\n");
});
$s->start();
