--TEST--
HTTP: a handler that returns without end() gets a 500, an uncaught exception a 500 and a log line with its trace, a second end() is false with a warning, and the worker keeps serving; pipelined requests are answered in order even when the first one suspends, in both modes
--FILE--
<?php
require __DIR__ . '/../inc/http.inc';

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        $s = new Tide\Http\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 1]);
        $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
        $s->on('request', function ($req, $res) {
            $path = $req->server['request_uri'];
            if ($path === '/noend') return;
            if ($path === '/throw') throw new LogicException('handler broke');
            if ($path === '/twice') {
                $first = $res->end('once');
                $second = $res->end('twice');
                echo 'first: ' . var_export($first, true) . "\nsecond: " . var_export($second, true) . "\n"; /* one write */
                return;
            }
            if ($path === '/slow') Tide\Coroutine::sleep(0.3);
            $res->end($path);
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(1);
    foreach (['/noend', '/throw', '/twice', '/after'] as $p) {
        $r = tide_http($srv->port, "GET $p HTTP/1.1\r\nHost: x\r\n\r\n");
        echo "$name: $p: {$r['status']} '", trim($r['body']), "'\n";
    }
    /* Pipelined: /slow suspends, the two behind it wait for it. */
    $c = tide_connect($srv->port);
    fwrite($c, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n");
    $order = [];
    for ($i = 0; $i < 3; $i++) {
        $order[] = tide_http_read($c)['body'] ?? '-';
    }
    echo "$name: pipelined: ", implode(' ', $order), "\n";
    $srv->waitFor('second:');
    $out = $srv->out();
    $err = $srv->err();
    echo "$name: ", trim(preg_replace('/^(first|second): .*$/m', '$0', implode("\n", preg_grep('/^(first|second):/', explode("\n", $out))))), "\n";
    echo "$name: warned of the second end(): ", var_export(str_contains($out . $err, 'Response::end(): the response has ended already'), true), "\n";
    echo "$name: 500 logged: ", var_export(substr_count($err, 'returned without Tide\Http\Response::end(): answered 500') === 2, true),
        ", exception logged with its trace: ", var_export((bool) preg_match('/Uncaught LogicException: handler broke.*\n.*Stack trace:\n#0/s', $err), true), "\n";
    $srv->stop();
}
?>
--EXPECT--
process: /noend: 500 'Internal Server Error'
process: /throw: 500 'Internal Server Error'
process: /twice: 200 'once'
process: /after: 200 '/after'
process: pipelined: /slow /a /b
process: first: true
second: false
process: warned of the second end(): true
process: 500 logged: true, exception logged with its trace: true
base: /noend: 500 'Internal Server Error'
base: /throw: 500 'Internal Server Error'
base: /twice: 200 'once'
base: /after: 200 '/after'
base: pipelined: /slow /a /b
base: first: true
second: false
base: warned of the second end(): true
base: 500 logged: true, exception logged with its trace: true
