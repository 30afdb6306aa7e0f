--TEST--
HTTP: a response larger than buffer_output_size (end() of 8 MiB, or write() of many chunks) goes out in pieces as a slow client reads: the handler's coroutine waits for room, the server's output queue stays bounded, a bystander is answered meanwhile, and the body arrives whole, in both modes
--FILE--
<?php
require __DIR__ . '/../inc/http.inc';

function rss_kib(int $pid): int
{
    preg_match('/^VmRSS:\s+(\d+)/m', (string) @file_get_contents("/proc/$pid/status"), $m);
    return (int) ($m[1] ?? 0);
}

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        $s = new Tide\Http\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 1, 'buffer_output_size' => 256 * 1024, 'http_compression' => false]);
        $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
        $s->on('request', function (Tide\Http\Request $req, Tide\Http\Response $res) {
            switch ($req->server['request_uri']) {
            case '/big':
                $ok = $res->end(str_repeat(md5('tide'), 1 << 18)); /* 8 MiB */
                echo "end() of 8 MiB: ", var_export($ok, true), "\n";
                break;
            case '/chunks':
                $ok = true;
                for ($i = 0; $i < 64; $i++) {
                    $ok = $res->write(str_repeat(chr(65 + $i % 26), 128 << 10)) && $ok;
                }
                $ok = $res->end() && $ok;
                echo "64 writes of 128 KiB: ", var_export($ok, true), "\n";
                break;
            default:
                $res->end('small');
            }
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(1);
    /* Once, read at once: the master's buffers for the link and the client reach their size
     * (about 4 MiB, whatever the response's size: 16 or 64 MiB add nothing more). */
    $warm = tide_http($srv->port, "GET /big HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 30);
    echo "$name warm-up: ", strlen($warm['body'] ?? ''), " bytes\n";
    $idle = rss_kib($srv->pid);

    foreach (['/big' => 8 << 20, '/chunks' => 8 << 20] as $path => $size) {
        $c = tide_connect($srv->port);
        stream_set_read_buffer($c, 0);
        fwrite($c, "GET $path HTTP/1.1\r\nHost: x\r\n\r\n");
        /* Take a little, then stop reading: the server holds what fits its buffer and waits. */
        $got = fread($c, 8192);
        $t = microtime(true);
        $b = tide_http($srv->port, "GET /small HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        echo "$name $path: bystander answered ", $b['body'] ?? 'NOTHING', " within 2 s: ",
            var_export(microtime(true) - $t < 2, true), "\n";
        $peak = rss_kib($srv->pid);
        /* Now read it all, slowly at first. */
        $deadline = microtime(true) + 30;
        $headEnd = false;
        while (microtime(true) < $deadline) {
            $d = fread($c, 65536);
            if ($d === false || ($d === '' && feof($c))) {
                break;
            }
            $got .= $d;
            $peak = max($peak, rss_kib($srv->pid));
            if ($headEnd === false && ($p = strpos($got, "\r\n\r\n")) !== false) {
                $headEnd = $p + 4;
            }
            if ($path === '/big' && $headEnd !== false && strlen($got) - $headEnd >= $size) {
                break;
            }
            if ($path === '/chunks' && str_ends_with($got, "\r\n0\r\n\r\n")) {
                break;
            }
        }
        fclose($c);
        $body = substr($got, (int) $headEnd);
        if ($path === '/chunks') {
            $plain = '';
            while (($lf = strpos($body, "\r\n")) !== false && ($n = hexdec(substr($body, 0, $lf))) > 0) {
                $plain .= substr($body, $lf + 2, $n);
                $body = substr($body, $lf + 2 + $n + 2);
            }
            $body = $plain;
            $want = '';
            for ($i = 0; $i < 64; $i++) {
                $want .= str_repeat(chr(65 + $i % 26), 128 << 10);
            }
        } else {
            $want = str_repeat(md5('tide'), 1 << 18);
        }
        echo "$name $path: ", strlen($body) === $size && $body === $want ? 'whole and intact' : 'BROKEN ' . strlen($body), "\n";
        /* The master never holds the response: it has at most its output buffer of it. */
        $grew = $peak - $idle;
        echo "$name $path: master grew under 2 MiB: ", var_export($grew < 2048, true), $grew < 2048 ? '' : " ($grew KiB)", "\n";
    }
    $srv->stop();
    preg_match_all('/^(end\(\)|64 writes).*$/m', $srv->out(), $m);
    echo "$name handler: ", implode('; ', $m[0]), "\n";
}
?>
--EXPECT--
process warm-up: 8388608 bytes
process /big: bystander answered small within 2 s: true
process /big: whole and intact
process /big: master grew under 2 MiB: true
process /chunks: bystander answered small within 2 s: true
process /chunks: whole and intact
process /chunks: master grew under 2 MiB: true
process handler: end() of 8 MiB: true; end() of 8 MiB: true; 64 writes of 128 KiB: true
base warm-up: 8388608 bytes
base /big: bystander answered small within 2 s: true
base /big: whole and intact
base /big: master grew under 2 MiB: true
base /chunks: bystander answered small within 2 s: true
base /chunks: whole and intact
base /chunks: master grew under 2 MiB: true
base handler: end() of 8 MiB: true; end() of 8 MiB: true; 64 writes of 128 KiB: true
