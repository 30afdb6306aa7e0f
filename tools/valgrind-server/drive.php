<?php
/* Traffic for tools/valgrind-server/server.php: php drive.php PORT */
$port = (int)$argv[1];
for ($i = 0; $i < 400; $i++) {
    $c = @stream_socket_client("tcp://127.0.0.1:$port", $e, $es, 5);
    if (!$c) { usleep(100000); continue; }
    stream_set_timeout($c, 5);
    foreach (['hello', 'pipe', 'x' . str_repeat('y', 30000), $i % 50 == 0 ? 'throw' : 'ok', $i % 7 == 0 ? 'file' : 'z', $i % 5 == 0 ? 'task' : 'y', 'close'] as $m) {
        fwrite($c, pack('N', strlen($m)) . $m);
    }
    while (!feof($c) && ($r = fread($c, 65536)) !== '' && $r !== false);
    fclose($c);
    if ($i % 40 == 0) {
        /* A burst past the bounds, then a half-close: every reply must still come. */
        $c = @stream_socket_client("tcp://127.0.0.1:$port", $e, $es, 5);
        if ($c) {
            stream_set_timeout($c, 5);
            fwrite($c, str_repeat(pack('N', 2) . 'ok', 20));
            stream_socket_shutdown($c, STREAM_SHUT_WR);
            while (!feof($c) && ($r = fread($c, 65536)) !== '' && $r !== false);
            fclose($c);
        }
    }
    $u = stream_socket_client("udp://127.0.0.1:" . ($port + 1));
    fwrite($u, "dgram $i"); stream_set_timeout($u, 1); fread($u, 100);
}
/* HTTP: good, pipelined, chunked, compressed, large, static, spooled, refused, and too
 * slow. A request given as [head, body] is sent in two writes, so that the server has the
 * head before the body comes (a body over http_body_buffer_size is then spooled). */
$part = str_repeat('u', 20000);
$upload = "--zz\r\nContent-Disposition: form-data; name=\"t\"\r\n\r\nhi\r\n--zz\r\n"
    . "Content-Disposition: form-data; name=\"f\"; filename=\"a.bin\"\r\n\r\n$part\r\n--zz--\r\n";
$form = 'a=' . str_repeat('f', 9000);
$hreqs = [
    ["POST /up HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=zz\r\nContent-Length: " . strlen($upload) . "\r\n\r\n",
     $upload . "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"],
    ["POST /form HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n",
     sprintf("%x\r\n%s\r\n0\r\n\r\n", strlen($form), $form) . "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"],
    "GET /?a=1&b[]=2 HTTP/1.1\r\nHost: x\r\nCookie: k=v; z=%20\r\n\r\nGET /chunks HTTP/1.1\r\nHost: x\r\n\r\nHEAD /file HTTP/1.1\r\nHost: x\r\n\r\nGET /file HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    "POST /p HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n3\r\na=1\r\n4\r\n&b=2\r\n0\r\n\r\nGET /noend HTTP/1.1\r\nHost: x\r\n\r\nGET /throw HTTP/1.1\r\nHost: x\r\n\r\nGET /later HTTP/1.0\r\n\r\n",
    "GET /half HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n",
    "GET /gz HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\nGET /gzchunks HTTP/1.1\r\nHost: x\r\nAccept-Encoding: deflate\r\n\r\nGET /big HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    "GET /server.php HTTP/1.1\r\nHost: x\r\nRange: bytes=0-9\r\n\r\nGET /drive.php HTTP/1.1\r\nHost: x\r\nIf-None-Match: *\r\n\r\nGET /%2e%2e/etc/passwd HTTP/1.1\r\nHost: x\r\n\r\nHEAD /server.php HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
    "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 999999\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: x\r\nX: " . str_repeat('a', 5000) . "\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: x\r\n",
    "GET / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 10\r\nConnection: close\r\n\r\n0123456789",
];
for ($i = 0; $i < 60; $i++) {
    foreach ($hreqs as $r) {
        $c = @stream_socket_client("tcp://127.0.0.1:" . ($port + 2), $e, $es, 5);
        if (!$c) { usleep(100000); continue; }
        stream_set_timeout($c, 1); /* a connection left open (keep-alive) costs this */
        if (is_array($r)) {
            fwrite($c, $r[0]);
            usleep(20000);
            $r = $r[1];
        }
        fwrite($c, $r);
        while (!feof($c) && ($d = fread($c, 65536)) !== '' && $d !== false);
        fclose($c);
    }
}
echo "done\n";
