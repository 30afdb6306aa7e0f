--TEST--
HTTP: Response API errors name the culprit (header injection, bad names, status range, cookie names), redirect, sendfile (MIME type, range, HEAD), detach() and create() answering later (as the detached request asked: HTTP/1.0 closes, HEAD has no body), isWritable(); chunked request bodies and Expect: 100-continue (curl), in both modes
--SKIPIF--
<?php if (!is_executable('/usr/bin/curl')) die('skip needs curl (apt-get install curl)'); ?>
--FILE--
<?php
require __DIR__ . '/../inc/http.inc';

$dir = sys_get_temp_dir() . '/tide-http-' . getmypid();
@mkdir($dir);
file_put_contents("$dir/page.css", 'body{color:red}');
foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<PHP
        \$dir = '$dir';
        \$s = new Tide\\Http\\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        \$s->set(['worker_num' => 1]);
        \$s->on('workerStart', fn(\$s, \$id) => tide_test_ready(\$s));
        \$s->on('request', function (\$req, \$res) use (\$s, \$dir) {
            \$try = function (\$f) { try { \$f(); return 'no error'; } catch (\\Throwable \$e) { return get_class(\$e) . ': ' . \$e->getMessage(); } };
            switch (\$req->server['request_uri']) {
            case '/errors':
                \$out = [
                    \$try(fn() => \$res->header("X-A", "v\\r\\nSet-Cookie: evil=1")),
                    \$try(fn() => \$res->header("Bad Name", "v")),
                    \$try(fn() => \$res->header("X-B", ["ok", "no\\nway"])),
                    \$try(fn() => \$res->status(42)),
                    \$try(fn() => \$res->cookie("a=b", "v")),
                    \$try(fn() => \$res->rawcookie("a", "v;w")),
                    \$try(fn() => \$res->redirect("/x", 200)),
                    \$try(fn() => \$res->write("")),
                ];
                \$res->end(implode("\\n", \$out));
                break;
            case '/redirect':
                \$res->redirect('/elsewhere', 301);
                break;
            case '/file':
                \$res->sendfile("\$dir/page.css");
                break;
            case '/part':
                \$res->header('Content-Type', 'text/plain');
                \$res->sendfile("\$dir/page.css", 5, 5);
                break;
            case '/later':
                \$res->detach();
                \$fd = \$res->fd;
                Tide\\Timer::after(100, function () use (\$s, \$fd) {
                    \$r = Tide\\Http\\Response::create(\$s, \$fd);
                    \$r->end('answered later, writable ' . var_export(\$r->isWritable(), true));
                    echo "after end writable: " . var_export(\$r->isWritable(), true) . "\\n"; /* one write */
                });
                break;
            case '/body':
                \$res->end(strlen(\$req->getContent()) . ' ' . md5(\$req->getContent()));
                break;
            }
        });
        \$s->start();
    PHP, $mode);
    $srv->waitReady(1);
    $r = tide_http($srv->port, "GET /errors HTTP/1.1\r\nHost: x\r\n\r\n");
    echo "$name: errors:\n{$r['body']}\n";
    $r = tide_http($srv->port, "GET /redirect HTTP/1.1\r\nHost: x\r\n\r\n");
    echo "$name: redirect: {$r['status']} {$r['headers']['location']}\n";
    $r = tide_http($srv->port, "GET /file HTTP/1.1\r\nHost: x\r\n\r\n");
    echo "$name: file: {$r['headers']['content-type']} {$r['headers']['content-length']} '{$r['body']}'\n";
    $r = tide_http($srv->port, "HEAD /file HTTP/1.1\r\nHost: x\r\n\r\n");
    echo "$name: HEAD file: {$r['headers']['content-length']} '{$r['body']}'\n";
    $r = tide_http($srv->port, "GET /part HTTP/1.1\r\nHost: x\r\n\r\n");
    echo "$name: part: {$r['headers']['content-type']} '{$r['body']}'\n";
    $r = tide_http($srv->port, "GET /later HTTP/1.1\r\nHost: x\r\n\r\n");
    echo "$name: detached: {$r['status']} '{$r['body']}'\n";
    $srv->waitFor('after end writable');
    echo "$name: ", trim(preg_grep('/^after end writable/', explode("\n", $srv->out()))[array_key_first(preg_grep('/^after end writable/', explode("\n", $srv->out())))]), "\n";
    /* create() answers as the detached request asked: an HTTP/1.0 client gets the answer
     * and its connection closed, a HEAD no body. */
    $raw = function (string $req) use ($srv): array {
        $c = tide_connect($srv->port);
        fwrite($c, $req);
        $buf = '';
        $deadline = microtime(true) + 5;
        while (microtime(true) < $deadline) {
            $r = [$c];
            $w = $e = null;
            if (!stream_select($r, $w, $e, 0, 200000)) {
                continue;
            }
            $d = fread($c, 65536);
            if (($d === '' || $d === false) && feof($c)) {
                return [$buf, true];
            }
            $buf .= $d;
        }
        return [$buf, false];
    };
    [$out, $closed] = $raw("GET /later HTTP/1.0\r\n\r\n");
    echo "$name: detached HTTP/1.0: ", $closed ? 'closed after the answer' : 'left open', ', ',
        str_contains($out, "\r\nConnection: close\r\n") ? 'Connection: close' : 'no Connection: close', ', body ',
        substr($out, strpos($out, "\r\n\r\n") + 4), "\n";
    [$out, $closed] = $raw("HEAD /later HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    echo "$name: detached HEAD: ", preg_match('/Content-Length: (\d+)/', $out, $m) ? "length {$m[1]}" : 'no length',
        ", body '", substr($out, strpos($out, "\r\n\r\n") + 4), "'\n";

    /* A chunked request body (curl chunks what it reads from stdin), and a large body sent
     * with Expect: 100-continue (curl waits for the 100 before it sends the body). */
    $data = str_repeat('0123456789abcdef', 4096 * 4); /* 256 KiB */
    $url = "http://127.0.0.1:{$srv->port}/body";
    $p = proc_open(['curl', '-s', '-H', 'Transfer-Encoding: chunked', '--data-binary', '@-', $url],
                   [0 => ['pipe', 'r'], 1 => ['pipe', 'w']], $pipes);
    fwrite($pipes[0], $data);
    fclose($pipes[0]);
    echo "$name: chunked body: ", stream_get_contents($pipes[1]) === strlen($data) . ' ' . md5($data) ? 'intact' : 'broken', "\n";
    proc_close($p);
    file_put_contents("$dir/big", $data);
    $t0 = microtime(true);
    $out = shell_exec("curl -s -v --expect100-timeout 10 -H 'Expect: 100-continue' --data-binary @$dir/big $url 2>&1");
    echo "$name: 100-continue: ", str_contains($out, '< HTTP/1.1 100 Continue') ? 'seen' : 'missing',
        ', body ', str_contains($out, strlen($data) . ' ' . md5($data)) ? 'intact' : 'broken',
        ', no timeout wait ', var_export(microtime(true) - $t0 < 5, true), "\n";
    $srv->stop();
}
array_map('unlink', glob("$dir/*"));
rmdir($dir);
?>
--EXPECT--
process: errors:
ValueError: Tide\Http\Response::header(): Argument #2 ($value) must not contain CR, LF or NUL (header 'X-A')
ValueError: Tide\Http\Response::header(): Argument #1 ($key) must be a header name (letters, digits and !#$%&'*+-.^_`|~), 'Bad Name' given
ValueError: Tide\Http\Response::header(): Argument #2 ($value) must not contain CR, LF or NUL (header 'X-B')
ValueError: Tide\Http\Response::status(): Argument #1 ($code) must be an HTTP status between 100 and 999, 42 given
ValueError: Tide\Http\Response::cookie(): Argument #1 ($name) must not contain any of "=,; \t\r\n\013\014"
ValueError: Tide\Http\Response::rawcookie(): Argument #2 ($value) must not contain any of ",; \t\r\n\013\014"
ValueError: Tide\Http\Response::redirect(): Argument #2 ($http_code) must be a redirection status (300 to 399), 200 given
ValueError: Tide\Http\Response::write(): Argument #1 ($data) must not be empty (an empty chunk would end the body)
process: redirect: 301 /elsewhere
process: file: text/css; charset=utf-8 15 'body{color:red}'
process: HEAD file: 15 ''
process: part: text/plain 'color'
process: detached: 200 'answered later, writable true'
process: after end writable: false
process: detached HTTP/1.0: closed after the answer, Connection: close, body answered later, writable true
process: detached HEAD: length 29, body ''
process: chunked body: intact
process: 100-continue: seen, body intact, no timeout wait true
base: errors:
ValueError: Tide\Http\Response::header(): Argument #2 ($value) must not contain CR, LF or NUL (header 'X-A')
ValueError: Tide\Http\Response::header(): Argument #1 ($key) must be a header name (letters, digits and !#$%&'*+-.^_`|~), 'Bad Name' given
ValueError: Tide\Http\Response::header(): Argument #2 ($value) must not contain CR, LF or NUL (header 'X-B')
ValueError: Tide\Http\Response::status(): Argument #1 ($code) must be an HTTP status between 100 and 999, 42 given
ValueError: Tide\Http\Response::cookie(): Argument #1 ($name) must not contain any of "=,; \t\r\n\013\014"
ValueError: Tide\Http\Response::rawcookie(): Argument #2 ($value) must not contain any of ",; \t\r\n\013\014"
ValueError: Tide\Http\Response::redirect(): Argument #2 ($http_code) must be a redirection status (300 to 399), 200 given
ValueError: Tide\Http\Response::write(): Argument #1 ($data) must not be empty (an empty chunk would end the body)
base: redirect: 301 /elsewhere
base: file: text/css; charset=utf-8 15 'body{color:red}'
base: HEAD file: 15 ''
base: part: text/plain 'color'
base: detached: 200 'answered later, writable true'
base: after end writable: false
base: detached HTTP/1.0: closed after the answer, Connection: close, body answered later, writable true
base: detached HEAD: length 29, body ''
base: chunked body: intact
base: 100-continue: seen, body intact, no timeout wait true
