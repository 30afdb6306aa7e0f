<?php
/*
 * The echo server of bench/ws.sh:
 *   php -d extension=tide.so bench/ws_echo.php base|process PORT [WORKERS]
 * Every message goes back to its sender with its opcode. Prints "READY <port> <worker id>"
 * from each worker.
 */
$mode = ($argv[1] ?? 'base') === 'process' ? Tide\MODE_PROCESS : Tide\MODE_BASE;
$s = new Tide\WebSocket\Server('127.0.0.1', (int) ($argv[2] ?? 9502), $mode);
$s->set(['worker_num' => (int) ($argv[3] ?? 2), 'log_level' => 4]);
$s->on('workerStart', function ($s, $id) {
    echo "READY {$s->ports[0]->port} $id\n";
});
$s->on('message', function ($s, $f) {
    $s->push($f->fd, $f->data, $f->opcode);
});
$s->start();
