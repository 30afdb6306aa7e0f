--TEST--
HTTP, MODE_PROCESS: a worker that dies mid-request gets its client a 502 (or, when part of the response went out already, a closed connection), everyone else is served, and the worker is replaced; with dispatch by connection and by message
--FILE--
<?php
require __DIR__ . '/../inc/http.inc';

foreach ([2 => 'by connection', 1 => 'by message'] as $dm => $name) {
    $srv = new TideServerProc(<<<PHP
        \$s = new Tide\\Http\\Server('127.0.0.1', 0, Tide\\MODE_PROCESS);
        \$s->set(['worker_num' => 2, 'dispatch_mode' => $dm, 'log_level' => 5]);
        \$s->on('workerStart', fn(\$s, \$id) => tide_test_ready(\$s));
        \$s->on('request', function (\$req, \$res) use (\$s) {
            switch (\$req->server['request_uri']) {
            case '/die':
                exec('kill -9 ' . getmypid());
                break;
            case '/half':
                \$res->write('part of it');
                Tide\\Coroutine::sleep(0.2);
                exec('kill -9 ' . getmypid());
                break;
            default:
                \$res->end('ok from ' . getmypid());
            }
        });
        \$s->start();
    PHP, Tide\MODE_PROCESS);
    $srv->waitReady(2);
    $before = $srv->readyLines();
    $r = tide_http($srv->port, "GET /die HTTP/1.1\r\nHost: x\r\n\r\n");
    echo "$name: died: {$r['status']} {$r['reason']}, closed ", var_export($r['closed'], true), "\n";
    $c = tide_connect($srv->port);
    fwrite($c, "GET /half HTTP/1.1\r\nHost: x\r\n\r\n");
    $head = tide_read_until($c, "part of it");
    echo "$name: died after a part: ", str_contains($head, "200 OK") ? '200 and a part' : json_encode($head),
        ", then closed ", var_export(tide_closed_by_peer($c), true), "\n";
    $ok = 0;
    for ($i = 0; $i < 10; $i++) {
        $r = tide_http($srv->port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        $ok += str_starts_with($r['body'] ?? '', 'ok from ');
    }
    echo "$name: others served: $ok of 10\n";
    echo "$name: replaced: ", var_export($srv->waitFor('READY ', 4, 10), true), "\n";
    $srv->stop();
}
?>
--EXPECT--
by connection: died: 502 Bad Gateway, closed true
by connection: died after a part: 200 and a part, then closed true
by connection: others served: 10 of 10
by connection: replaced: true
by message: died: 502 Bad Gateway, closed true
by message: died after a part: 200 and a part, then closed true
by message: others served: 10 of 10
by message: replaced: true
