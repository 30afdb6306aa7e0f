--TEST--
Tide\Coroutine\Http\Client: what a broken or hostile server sends (garbage, a bad status line, bad chunk sizes, a head over http_max_header_size, a body over http_max_body_size by its length, by chunks, until close and by a gzip bomb, a truncated body, a corrupt gzip body, a close before any answer) gives false with statusCode -3 and errCode, never a crash or unbounded memory
--EXTENSIONS--
tide
--FILE--
<?php
require __DIR__ . '/../inc/raw_http.inc';

$big = str_repeat('x', 2 << 20);
$answers = [
    'garbage' => "<html>not http at all</html>\r\n\r\n",
    'status' => "HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n",
    'header' => "HTTP/1.1 200 OK\r\nBad Header: x\r\n\r\n",
    'length' => "HTTP/1.1 200 OK\r\nContent-Length: 12abc\r\n\r\n",
    'chunk' => "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
    'chunk_huge' => "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffffff\r\n",
    'long_head' => "HTTP/1.1 200 OK\r\nX: " . str_repeat('a', 200000) . "\r\n\r\n",
    'big_length' => "HTTP/1.1 200 OK\r\nContent-Length: 999999999999\r\n\r\nabc",
    'big_chunks' => "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n200000\r\n" . $big,
    'big_close' => "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" . $big,
    'bomb' => "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " . strlen($z = gzencode(str_repeat("\0", 8 << 20))) . "\r\n\r\n" . $z,
    'truncated' => "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\nabc",
    'bad_gzip' => "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 5\r\n\r\nhello",
    'silent_close' => null,
];

Tide\run(function () use ($answers) {
    $names = array_keys($answers);
    $port = tide_raw_server(fn($path, $n) => $answers[substr($path, 1)], count($answers));
    foreach ($names as $name) {
        $c = new Tide\Coroutine\Http\Client('127.0.0.1', $port);
        $c->set(['http_max_body_size' => 1 << 20, 'http_max_header_size' => 8192, 'timeout' => 5]);
        $before = memory_get_usage();
        $ok = $c->get("/$name");
        $grew = memory_get_usage() - $before;
        printf("%-12s %s %d %d %s%s\n", $name, var_export($ok, true), $c->statusCode, $c->errCode,
               $c->errMsg, $grew > (3 << 20) ? " (memory grew by $grew)" : '');
        $c->close();
    }
});
echo "done\n";
?>
--EXPECT--
garbage      false -3 71 the server sent a malformed response head
status       false -3 71 the server sent a malformed response head
header       false -3 71 the server sent a malformed response head
length       false -3 71 the server sent a malformed response head
chunk        false -3 71 the server sent a malformed response body
chunk_huge   false -3 71 the server sent a malformed response body
long_head    false -3 90 response head is over http_max_header_size (8192 bytes)
big_length   false -3 90 response body is over http_max_body_size (1048576 bytes)
big_chunks   false -3 90 response body is over http_max_body_size (1048576 bytes)
big_close    false -3 90 response body is over http_max_body_size (1048576 bytes)
bomb         false -3 90 response body is over http_max_body_size (1048576 bytes)
truncated    false -3 104 the server closed the connection before the end of the response body
bad_gzip     false -3 71 the server sent a malformed response body
silent_close false -3 104 the server closed the connection before the end of the response head
done
