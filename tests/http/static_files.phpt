--TEST--
HTTP static files: document_root + enable_static_handler serve files with MIME types, ETag/Last-Modified (304 on If-None-Match or If-Modified-Since), a single Range (206/416, If-Range), HEAD, keep-alive and pipelining; `..`, encoded `..` and symlink escapes are 404; missing files and directories go to the handler, or 404 under static_handler_locations; a 3 MiB file through curl; in both modes
--FILE--
<?php
require __DIR__ . '/../inc/http.inc';

$root = sys_get_temp_dir() . '/tide-static-' . getmypid();
$outside = "$root-outside";
@mkdir("$root/sub", 0755, true);
@mkdir("$root/static", 0755, true);
@mkdir("$root/dir", 0755, true);
@mkdir($outside, 0755);
chmod($root, 0755);
file_put_contents("$root/style.css", "body { color: teal; }\n");
file_put_contents("$root/sub/a.txt", str_repeat("0123456789", 10));
file_put_contents("$root/static/app.js", "console.log('tide');\n");
file_put_contents("$outside/secret.txt", "SECRET\n");
@symlink("$outside/secret.txt", "$root/link-out.txt");
@symlink("sub/a.txt", "$root/link-in.txt");
@symlink("$root/sub/a.txt", "$root/link-abs.txt"); /* absolute: refused even inside the root */
@symlink($outside, "$root/dirlink");
mt_srand(3);
$big = '';
for ($i = 0; $i < 3 << 16; $i++) {
    $big .= pack('N', mt_rand());
}
$big = str_repeat($big, 4); /* 3 MiB */
file_put_contents("$root/big.bin", $big);
touch("$root/style.css", 1700000000);

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        $s = new Tide\Http\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 1, 'document_root' => getenv('DOCROOT'), 'enable_static_handler' => true]);
        $loc = $s->listen('127.0.0.1', 0, Tide\SOCK_TCP);
        $loc->set(['static_handler_locations' => ['/static', '/sub/']]);
        $s->on('workerStart', function ($s, $id) {
            echo "LOCPORT {$s->ports[1]->port}\n";
            tide_test_ready($s);
        });
        $s->on('request', function (Tide\Http\Request $req, Tide\Http\Response $res) {
            $res->end("handler: {$req->server['request_method']} {$req->server['request_uri']}");
        });
        $s->start();
    PHP, $mode, ['DOCROOT' => $root]);
    $srv->waitReady(1);
    preg_match('/^LOCPORT (\d+)$/m', $srv->out(), $m);
    $locPort = (int) $m[1];
    /* One keep-alive connection per port for all of them: each answer must leave it usable. */
    $conns = [];
    $req = function (string $path, array $headers = [], string $method = 'GET', int $port = 0) use ($srv, &$conns) {
        $port = $port ?: $srv->port;
        $c = $conns[$port] ??= tide_connect($port);
        $h = '';
        foreach ($headers as $k => $v) {
            $h .= "$k: $v\r\n";
        }
        fwrite($c, "$method $path HTTP/1.1\r\nHost: x\r\n$h\r\n");
        return tide_http_read($c, 5.0, $method === 'HEAD');
    };
    $show = function (string $what, ?array $r, array $keys = []) use ($name) {
        if (!$r) {
            echo "$name $what: NO ANSWER\n";
            return;
        }
        $extra = [];
        foreach ($keys as $k) {
            $extra[] = "$k=" . ($r['headers'][$k] ?? '-');
        }
        echo "$name $what: {$r['status']} ", json_encode(strlen($r['body']) > 40 ? strlen($r['body']) . ' bytes' : $r['body'], JSON_UNESCAPED_SLASHES),
            $extra ? ' ' . implode(' ', $extra) : '', "\n";
    };

    $r = $req('/style.css');
    $show('css', $r, ['content-type', 'content-length', 'accept-ranges', 'last-modified']);
    $etag = $r['headers']['etag'];
    echo "  etag looks right: ", var_export((bool) preg_match('/^"[0-9a-f]+-[0-9a-f]+"$/', $etag), true), "\n";
    $show('HEAD css', $req('/style.css', [], 'HEAD'), ['content-length', 'etag']);
    $show('If-None-Match', $req('/style.css', ['If-None-Match' => "\"x\", W/$etag"]), ['etag']);
    $show('If-None-Match other', $req('/style.css', ['If-None-Match' => '"other"']));
    $show('If-Modified-Since same', $req('/style.css', ['If-Modified-Since' => 'Tue, 14 Nov 2023 22:13:20 GMT']));
    $show('If-Modified-Since older', $req('/style.css', ['If-Modified-Since' => 'Tue, 14 Nov 2023 22:13:19 GMT']));
    $show('range', $req('/sub/a.txt', ['Range' => 'bytes=10-14']), ['content-range', 'content-length']);
    $show('suffix range', $req('/sub/a.txt', ['Range' => 'bytes=-3']), ['content-range']);
    $show('range past the end', $req('/sub/a.txt', ['Range' => 'bytes=100-']), ['content-range']);
    $show('two ranges (whole file)', $req('/sub/a.txt', ['Range' => 'bytes=0-1,5-6']), ['content-length']);
    $show('If-Range other etag (whole file)', $req('/sub/a.txt', ['Range' => 'bytes=0-1', 'If-Range' => '"nope"']), ['content-length']);
    $show('js', $req('/static/app.js'), ['content-type']);
    $show('dot-dot', $req('/../../../../etc/passwd'));
    $show('encoded dot-dot', $req('/%2e%2e/%2e%2e/etc/passwd'));
    $show('HEAD of an escape (no body: the next answer on the connection stays framed)', $req('/../x', [], 'HEAD'), ['content-length']);
    $show('dot-dot inside the root', $req('/sub/../style.css'), ['content-type']);
    $show('symlink out', $req('/link-out.txt'));
    $show('directory symlink out', $req('/dirlink/secret.txt'));
    $show('symlink in', $req('/link-in.txt'), ['content-length']);
    $show('absolute symlink in', $req('/link-abs.txt'));
    $show('missing', $req('/missing.txt'));
    $show('directory', $req('/dir'));
    $show('POST', $req('/style.css', ['Content-Length' => '0'], 'POST'));
    $r = $req('/style.css%00.php');
    echo "$name NUL: {$r['status']} ", $r['body'] === 'handler: GET /style.css%00.php' ? 'to the handler' : 'WRONG', "\n";

    /* keep-alive and pipelining: three requests in one write, answered in order */
    $c = tide_connect($srv->port);
    fwrite($c, "GET /style.css HTTP/1.1\r\nHost: x\r\n\r\nGET /nothing HTTP/1.1\r\nHost: x\r\n\r\n"
        . "HEAD /sub/a.txt HTTP/1.1\r\nHost: x\r\n\r\n");
    $a = tide_http_read($c);
    $b = tide_http_read($c);
    $d = tide_http_read($c, 5.0, true);
    echo "$name pipelined: {$a['status']} ", strlen($a['body']), " / {$b['status']} {$b['body']} / {$d['status']} ",
        $d['headers']['content-length'], "\n";
    fclose($c);

    /* with locations: only those paths are static, and a missing file there is 404 */
    $show('location file', $req('/static/app.js', [], 'GET', $locPort));
    $show('location missing', $req('/static/none.js', [], 'GET', $locPort));
    $show('location with slash', $req('/sub/a.txt', ['Range' => 'bytes=0-2'], 'GET', $locPort));
    $show('outside the locations', $req('/style.css', [], 'GET', $locPort));
    $show('leaving a location by ..', $req('/static/../style.css', [], 'GET', $locPort));

    $out = shell_exec("curl -s http://127.0.0.1:{$srv->port}/big.bin");
    echo "$name curl 3 MiB: ", strlen((string) $out) === strlen($big) && md5($out) === md5($big) ? 'equal' : 'DIFFERENT', "\n";
    $conns = [];
    $srv->stop();
}
exec('rm -rf ' . escapeshellarg($root) . ' ' . escapeshellarg($outside));
?>
--EXPECTF--
process css: 200 "body { color: teal; }\n" content-type=text/css; charset=utf-8 content-length=22 accept-ranges=bytes last-modified=Tue, 14 Nov 2023 22:13:20 GMT
  etag looks right: true
process HEAD css: 200 "" content-length=22 etag=%s
process If-None-Match: 304 "" etag=%s
process If-None-Match other: 200 "body { color: teal; }\n"
process If-Modified-Since same: 304 ""
process If-Modified-Since older: 200 "body { color: teal; }\n"
process range: 206 "01234" content-range=bytes 10-14/100 content-length=5
process suffix range: 206 "789" content-range=bytes 97-99/100
process range past the end: 416 "Range Not Satisfiable\n" content-range=bytes */100
process two ranges (whole file): 200 "100 bytes" content-length=100
process If-Range other etag (whole file): 200 "100 bytes" content-length=100
process js: 200 "console.log('tide');\n" content-type=text/javascript; charset=utf-8
process dot-dot: 404 "Not Found\n"
process encoded dot-dot: 404 "Not Found\n"
process HEAD of an escape (no body: the next answer on the connection stays framed): 404 "" content-length=10
process dot-dot inside the root: 200 "body { color: teal; }\n" content-type=text/css; charset=utf-8
process symlink out: 404 "Not Found\n"
process directory symlink out: 404 "Not Found\n"
process symlink in: 200 "100 bytes" content-length=100
process absolute symlink in: 404 "Not Found\n"
process missing: 200 "handler: GET /missing.txt"
process directory: 200 "handler: GET /dir"
process POST: 200 "handler: POST /style.css"
process NUL: 200 to the handler
process pipelined: 200 22 / 200 handler: GET /nothing / 200 100
process location file: 200 "console.log('tide');\n"
process location missing: 404 "Not Found\n"
process location with slash: 206 "012"
process outside the locations: 200 "handler: GET /style.css"
process leaving a location by ..: 200 "handler: GET /static/../style.css"
process curl 3 MiB: equal
base css: 200 "body { color: teal; }\n" content-type=text/css; charset=utf-8 content-length=22 accept-ranges=bytes last-modified=Tue, 14 Nov 2023 22:13:20 GMT
  etag looks right: true
base HEAD css: 200 "" content-length=22 etag=%s
base If-None-Match: 304 "" etag=%s
base If-None-Match other: 200 "body { color: teal; }\n"
base If-Modified-Since same: 304 ""
base If-Modified-Since older: 200 "body { color: teal; }\n"
base range: 206 "01234" content-range=bytes 10-14/100 content-length=5
base suffix range: 206 "789" content-range=bytes 97-99/100
base range past the end: 416 "Range Not Satisfiable\n" content-range=bytes */100
base two ranges (whole file): 200 "100 bytes" content-length=100
base If-Range other etag (whole file): 200 "100 bytes" content-length=100
base js: 200 "console.log('tide');\n" content-type=text/javascript; charset=utf-8
base dot-dot: 404 "Not Found\n"
base encoded dot-dot: 404 "Not Found\n"
base HEAD of an escape (no body: the next answer on the connection stays framed): 404 "" content-length=10
base dot-dot inside the root: 200 "body { color: teal; }\n" content-type=text/css; charset=utf-8
base symlink out: 404 "Not Found\n"
base directory symlink out: 404 "Not Found\n"
base symlink in: 200 "100 bytes" content-length=100
base absolute symlink in: 404 "Not Found\n"
base missing: 200 "handler: GET /missing.txt"
base directory: 200 "handler: GET /dir"
base POST: 200 "handler: POST /style.css"
base NUL: 200 to the handler
base pipelined: 200 22 / 200 handler: GET /nothing / 200 100
base location file: 200 "console.log('tide');\n"
base location missing: 404 "Not Found\n"
base location with slash: 206 "012"
base outside the locations: 200 "handler: GET /style.css"
base leaving a location by ..: 200 "handler: GET /static/../style.css"
base curl 3 MiB: equal
