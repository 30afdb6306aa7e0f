--TEST--
Tide\Coroutine\Http\Client: a chunked response, a gzip response decoded (and left coded with body_decompression off, not asked for with http_compression off), Set-Cookie kept in cookies and sent back, download() to a file, addFile()/addData() as multipart/form-data seen in the server's $request->files
--EXTENSIONS--
tide
--FILE--
<?php
require __DIR__ . '/../inc/http_client.inc';
$srv = tide_client_server();
$file = sys_get_temp_dir() . '/tide-client-dl-' . getmypid();

Tide\run(function () use ($srv, $file) {
    $c = new Tide\Coroutine\Http\Client('127.0.0.1', $srv->port);
    $c->get('/chunked');
    echo "chunked: {$c->headers['transfer-encoding']} {$c->body}\n";

    $c->get('/text?n=50000');
    echo "gzip: ", $c->headers['content-encoding'] ?? 'none', ' ', strlen($c->body), ' ',
        var_export(str_starts_with($c->body, 'The quick brown fox'), true), "\n";
    $c->set(['body_decompression' => false]);
    $c->get('/text?n=50000');
    echo "kept coded: ", strlen($c->body) < 50000 ? 'smaller' : 'not', ' ', strlen(gzdecode($c->body)), "\n";
    $c->set(['body_decompression' => true, 'http_compression' => false]);
    $c->get('/text?n=50000');
    echo "not asked: ", $c->headers['content-encoding'] ?? 'none', ' ', strlen($c->body), "\n";

    $c->get('/cookie');
    echo "cookies: ", json_encode($c->getCookies()), ' ', count($c->set_cookie_headers), "\n";
    $c->setCookies($c->cookies + ['c' => '3']);
    $c->get('/echo');
    echo "sent back: ", json_encode(json_decode($c->body, true)['cookie']), "\n";

    var_dump($c->download('/text?n=100000', $file));
    echo "download: ", filesize($file), ' ', $c->body === '' ? 'no body in memory' : 'body kept', "\n";

    $c->addFile(__FILE__, 'script', 'text/x-php');
    $c->addData('in memory', 'mem', 'text/plain', 'mem.txt');
    $c->setData(['field' => 'value']);
    var_dump($c->execute('/echo'));
    $j = json_decode($c->body, true);
    echo "upload: {$j['method']} ", strtok($j['header']['content-type'], ';'), ' post=', json_encode($j['post']), "\n";
    echo "  script: ", json_encode($j['files']['script'] === [basename(__FILE__), 'text/x-php', filesize(__FILE__), md5_file(__FILE__)]), "\n";
    echo "  mem: ", json_encode($j['files']['mem'] === ['mem.txt', 'text/plain', 9, md5('in memory')]), "\n";
    var_dump($c->uploadFiles);
    var_dump(@$c->addFile('/nonexistent/file', 'x'));
});
@unlink($file);
$srv->stop();
?>
--EXPECT--
chunked: chunked alpha,beta,gamma
gzip: gzip 50000 true
kept coded: smaller 50000
not asked: none 50000
cookies: {"a":"x y","b":"2"} 2
sent back: {"a":"x y","b":"2","c":"3"}
bool(true)
download: 100000 no body in memory
bool(true)
upload: POST multipart/form-data post={"field":"value"}
  script: true
  mem: true
NULL
bool(false)
