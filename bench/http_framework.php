<?php
/*
 * The "framework booted once per worker" server of bench/http.sh:
 *   php -d extension=tide.so bench/http_framework.php base|process PORT WORKERS DIR
 * DIR holds the application bench/framework_gen.php made. Each worker boots it when it
 * starts (300 classes, 300 services, 60 routes) and handles each request with its kernel:
 * the per-request work of php-fpm's index.php without the boot.
 */
$mode = ($argv[1] ?? 'base') === 'process' ? Tide\MODE_PROCESS : Tide\MODE_BASE;
$dir = $argv[4] ?? exit("usage: http_framework.php base|process PORT WORKERS DIR\n");
require "$dir/bootstrap.php";
$s = new Tide\Http\Server('127.0.0.1', (int) $argv[2], $mode);
$s->set(['worker_num' => (int) $argv[3], 'log_level' => 4]);
$kernel = null;
$s->on('workerStart', function ($s, $id) use (&$kernel) {
    $kernel = app_boot();
    echo "READY {$s->ports[0]->port} $id\n";
});
$s->on('request', function ($req, $res) use (&$kernel) {
    $res->end($kernel->handle($req->server['request_method'], $req->server['request_uri']));
});
$s->start();
