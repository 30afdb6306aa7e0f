<?php
/*
 * The hello server of bench/http.sh:
 *   php -d extension=tide.so bench/http_hello.php base|process PORT [WORKERS]
 * Prints "READY <port> <worker id>" from each worker.
 */
$mode = ($argv[1] ?? 'base') === 'process' ? Tide\MODE_PROCESS : Tide\MODE_BASE;
$s = new Tide\Http\Server('127.0.0.1', (int) ($argv[2] ?? 9501), $mode);
$s->set(['worker_num' => (int) ($argv[3] ?? 1), 'log_level' => 4]);
$s->on('workerStart', function ($s, $id) {
    echo "READY {$s->ports[0]->port} $id\n";
});
$s->on('request', function ($req, $res) {
    $res->end('hello');
});
$s->start();
