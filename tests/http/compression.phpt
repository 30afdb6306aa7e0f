--TEST--
HTTP: http_compression: gzip or deflate as Accept-Encoding says, only for bodies worth it (type, min length, shrinking), never on HEAD, 204 or an encoded body; streamed bodies compressed piece by piece; off when set off; curl --compressed decodes it; in both modes
--FILE--
<?php
require __DIR__ . '/../inc/http.inc';

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        $s = new Tide\Http\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 1, 'http_compression_min_length' => 100]);
        /* a second port with compression off */
        $off = $s->listen('127.0.0.1', 0, Tide\SOCK_TCP);
        $off->set(['http_compression' => false]);
        $s->on('workerStart', function ($s, $id) {
            echo "OFFPORT {$s->ports[1]->port}\n";
            tide_test_ready($s);
        });
        $s->on('request', function (Tide\Http\Request $req, Tide\Http\Response $res) {
            $text = str_repeat("Tide compresses text bodies. ", 200);
            switch ($req->server['request_uri']) {
            case '/text':
                $res->end($text);
                break;
            case '/json':
                $res->header('Content-Type', 'application/vnd.api+json');
                $res->end(json_encode(array_fill(0, 100, ['a' => 1, 'b' => 'two'])));
                break;
            case '/short':
                $res->end(str_repeat('x', 99));
                break;
            case '/png':
                $res->header('Content-Type', 'image/png');
                $res->end($text);
                break;
            case '/encoded':
                $res->header('Content-Encoding', 'gzip');
                $res->end(gzencode($text));
                break;
            case '/random':
                $res->header('Content-Type', 'text/plain');
                mt_srand(7);
                $b = '';
                for ($i = 0; $i < 4096; $i++) {
                    $b .= chr(mt_rand(0, 255));
                }
                $res->end($b);
                break;
            case '/empty':
                $res->status(204);
                $res->end();
                break;
            case '/stream':
                $res->header('Content-Type', 'text/event-stream');
                foreach (['one ', 'two ', 'three '] as $w) {
                    $res->write(str_repeat($w, 50));
                }
                $res->end('end');
                break;
            }
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(1);
    preg_match('/^OFFPORT (\d+)$/m', $srv->out(), $m);
    $off = (int) $m[1];
    $text = str_repeat("Tide compresses text bodies. ", 200);

    $get = function (string $path, ?string $ae = null, string $method = 'GET', int $port = 0) use ($srv) {
        return tide_http($port ?: $srv->port, "$method $path HTTP/1.1\r\nHost: x\r\n"
            . ($ae === null ? '' : "Accept-Encoding: $ae\r\n") . "\r\n");
    };
    $show = function (string $what, array $r, ?callable $decode = null) use ($name) {
        $h = $r['headers'];
        $len = isset($h['content-length']) ? (int) $h['content-length'] : null;
        echo "$name $what: {$r['status']}, encoding ", $h['content-encoding'] ?? '-', ", vary ",
            $h['vary'] ?? '-', ", length matches body: ",
            $len === null ? 'chunked' : ($len === strlen($r['body']) ? 'yes' : 'NO'), "\n";
        return $decode ? $decode($r['body']) : $r['body'];
    };

    $r = $get('/text', 'gzip, deflate, br');
    $plain = $show('gzip', $r, 'gzdecode');
    echo "  decoded equal: ", var_export($plain === $text, true), ", ratio ",
        strlen($r['body']) < strlen($text) / 10 ? '< 0.1' : strlen($r['body']) / strlen($text), "\n";
    $plain = $show('deflate', $get('/text', 'br;q=1, deflate;q=0.9, gzip;q=0.5'), 'gzuncompress');
    echo "  decoded equal: ", var_export($plain === $text, true), "\n";
    foreach (['br' => 'br', 'none' => null, 'q0' => 'gzip;q=0, *;q=0'] as $what => $ae) {
        $b = $show($what, $get('/text', $ae));
        echo "  identity: ", var_export($b === $text, true), "\n";
    }
    $j = $show('json', $get('/json', 'gzip'), 'gzdecode');
    echo "  json decoded: ", count(json_decode($j, true)), " items\n";
    $show('short (< min length)', $get('/short', 'gzip'));
    $show('png', $get('/png', 'gzip'));
    $e = $show('already encoded', $get('/encoded', 'gzip'), 'gzdecode');
    echo "  decoded once: ", var_export($e === $text, true), "\n";
    $b = $show('random (does not shrink)', $get('/random', 'gzip'));
    echo "  sent as is: ", strlen($b), " bytes\n";
    $show('HEAD', $get('/text', 'gzip', 'HEAD'));
    $show('204', $get('/empty', 'gzip'));
    $s = $show('stream', $get('/stream', 'gzip'), 'gzdecode');
    echo "  decoded: ", $s === str_repeat('one ', 50) . str_repeat('two ', 50) . str_repeat('three ', 50) . 'end' ? 'equal' : json_encode($s), "\n";
    $show('port with compression off', $get('/text', 'gzip', 'GET', $off));

    /* Each streamed piece decodes as it comes: read the chunks one by one. */
    $c = tide_connect($srv->port);
    fwrite($c, "GET /stream HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n");
    $raw = '';
    $deadline = microtime(true) + 5;
    while (!str_ends_with($raw, "\r\n0\r\n\r\n") && microtime(true) < $deadline) {
        $raw .= (string) fread($c, 65536);
    }
    fclose($c);
    $chunks = [];
    $rest = substr($raw, strpos($raw, "\r\n\r\n") + 4);
    while (($lf = strpos($rest, "\r\n")) !== false && ($n = hexdec(substr($rest, 0, $lf))) > 0) {
        $chunks[] = substr($rest, $lf + 2, $n);
        $rest = substr($rest, $lf + 2 + $n + 2);
    }
    $z = inflate_init(ZLIB_ENCODING_GZIP);
    $pieces = array_map(fn($ch) => inflate_add($z, $ch, ZLIB_SYNC_FLUSH), $chunks);
    echo "$name stream chunks: ", json_encode(array_map(fn($p) => strlen($p) ? substr($p, 0, 4) . '*' . strlen($p) : '', $pieces)), "\n";

    /* A real client. */
    $out = shell_exec("curl -s --compressed -D - http://127.0.0.1:{$srv->port}/text");
    [$head, $body] = explode("\r\n\r\n", $out, 2);
    echo "$name curl: ", preg_match('/^content-encoding: gzip\r?$/mi', $head) ? 'gzip' : 'NOT gzip',
        ", body equal: ", var_export($body === $text, true), "\n";
    $srv->stop();
}
?>
--EXPECT--
process gzip: 200, encoding gzip, vary Accept-Encoding, length matches body: yes
  decoded equal: true, ratio < 0.1
process deflate: 200, encoding deflate, vary Accept-Encoding, length matches body: yes
  decoded equal: true
process br: 200, encoding -, vary Accept-Encoding, length matches body: yes
  identity: true
process none: 200, encoding -, vary Accept-Encoding, length matches body: yes
  identity: true
process q0: 200, encoding -, vary Accept-Encoding, length matches body: yes
  identity: true
process json: 200, encoding gzip, vary Accept-Encoding, length matches body: yes
  json decoded: 100 items
process short (< min length): 200, encoding -, vary -, length matches body: yes
process png: 200, encoding -, vary -, length matches body: yes
process already encoded: 200, encoding gzip, vary -, length matches body: yes
  decoded once: true
process random (does not shrink): 200, encoding -, vary Accept-Encoding, length matches body: yes
  sent as is: 4096 bytes
process HEAD: 200, encoding -, vary -, length matches body: NO
process 204: 204, encoding -, vary -, length matches body: chunked
process stream: 200, encoding gzip, vary Accept-Encoding, length matches body: chunked
  decoded: equal
process port with compression off: 200, encoding -, vary -, length matches body: yes
process stream chunks: ["one *200","two *200","thre*300","end*3"]
process curl: gzip, body equal: true
base gzip: 200, encoding gzip, vary Accept-Encoding, length matches body: yes
  decoded equal: true, ratio < 0.1
base deflate: 200, encoding deflate, vary Accept-Encoding, length matches body: yes
  decoded equal: true
base br: 200, encoding -, vary Accept-Encoding, length matches body: yes
  identity: true
base none: 200, encoding -, vary Accept-Encoding, length matches body: yes
  identity: true
base q0: 200, encoding -, vary Accept-Encoding, length matches body: yes
  identity: true
base json: 200, encoding gzip, vary Accept-Encoding, length matches body: yes
  json decoded: 100 items
base short (< min length): 200, encoding -, vary -, length matches body: yes
base png: 200, encoding -, vary -, length matches body: yes
base already encoded: 200, encoding gzip, vary -, length matches body: yes
  decoded once: true
base random (does not shrink): 200, encoding -, vary Accept-Encoding, length matches body: yes
  sent as is: 4096 bytes
base HEAD: 200, encoding -, vary -, length matches body: NO
base 204: 204, encoding -, vary -, length matches body: chunked
base stream: 200, encoding gzip, vary Accept-Encoding, length matches body: chunked
  decoded: equal
base port with compression off: 200, encoding -, vary -, length matches body: yes
base stream chunks: ["one *200","two *200","thre*300","end*3"]
base curl: gzip, body equal: true
