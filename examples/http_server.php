<?php
/*
 * The Quick start server: an HTTP/1.1 application on Tide\Http\Server, kept loaded by
 * its workers between requests.
 *
 *   php -d extension=tide examples/http_server.php [port] [base|process]
 *
 *   curl http://127.0.0.1:9501/                  hello, with the worker that answered
 *   curl 'http://127.0.0.1:9501/hello?name=you'  a query string
 *   curl -d 'a=1&b=2' http://127.0.0.1:9501/form a form (application/x-www-form-urlencoded)
 *   curl http://127.0.0.1:9501/sleep             answers after 1 s without blocking the
 *                                                worker: try several at once
 *   curl http://127.0.0.1:9501/stream            a chunked body written in three parts
 *   curl http://127.0.0.1:9501/stats             the server's counters as JSON
 *
 * Behind nginx, put it where php-fpm was (README, "HTTP server"). Ctrl-C (or SIGTERM to
 * the master) stops it gracefully; SIGUSR1 to the manager reloads the workers.
 */
$port = (int) ($argv[1] ?? 9501);
$mode = ($argv[2] ?? 'process') === 'base' ? Tide\MODE_BASE : Tide\MODE_PROCESS;

$server = new Tide\Http\Server('127.0.0.1', $port, $mode);
$server->set([
    'worker_num' => 2,
    'package_max_length' => 8 << 20, // request bodies up to 8 MiB; longer ones get a 413
]);

$server->on('start', function (Tide\Server $s) use ($port) {
    echo "Tide HTTP server on http://127.0.0.1:$port/ (master pid {$s->master_pid})\n";
});

$server->on('workerStart', function (Tide\Server $s, int $id) {
    echo "worker #$id ready\n";
});

$server->on('request', function (Tide\Http\Request $req, Tide\Http\Response $res) use ($server) {
    switch ($req->server['request_uri']) {
    case '/':
        $res->end("Hello from worker #{$server->worker_id} (pid " . getmypid() . ")\n");
        break;
    case '/hello':
        $name = $req->get['name'] ?? 'world';
        $res->header('Content-Type', 'text/plain; charset=utf-8');
        $res->end('Hello, ' . $name . "!\n");
        break;
    case '/form':
        $res->header('Content-Type', 'application/json');
        $res->end(json_encode(['method' => $req->getMethod(), 'post' => $req->post]) . "\n");
        break;
    case '/sleep':
        Tide\Coroutine::sleep(1.0);
        $res->end("slept 1 s\n");
        break;
    case '/stream':
        foreach (['one ', 'two ', "three\n"] as $part) {
            $res->write($part);
        }
        $res->end();
        break;
    case '/stats':
        $res->header('Content-Type', 'application/json');
        $res->end(json_encode($server->stats()) . "\n");
        break;
    default:
        $res->status(404);
        $res->end("Not found\n");
    }
});

$server->start();
