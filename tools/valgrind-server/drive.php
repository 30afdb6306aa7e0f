<?php
/* Traffic for tools/valgrind-server/server.php: php drive.php PORT */
$port = (int)$argv[1];
for ($i = 0; $i < 400; $i++) {
    $c = @stream_socket_client("tcp://127.0.0.1:$port", $e, $es, 5);
    if (!$c) { usleep(100000); continue; }
    stream_set_timeout($c, 5);
    foreach (['hello', 'pipe', 'x' . str_repeat('y', 30000), $i % 50 == 0 ? 'throw' : 'ok', $i % 7 == 0 ? 'file' : 'z', 'close'] as $m) {
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
echo "done\n";
