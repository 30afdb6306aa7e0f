--TEST--
Server: a client that sends its requests and then half-closes (shutdown(SHUT_WR), as nc -N and HTTP/1.0 clients do) gets every reply, also from a handler that suspends, and then the connection is closed, in both modes
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 2, 'open_eof_split' => true, 'package_eof' => "\n"]);
        $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
        $s->on('receive', function ($s, $fd, $rid, $data) {
            if ($data === "slow\n") {
                Tide\Coroutine::sleep(0.2);
            }
            $s->send($fd, "re: $data");
        });
        $s->on('close', fn($s, $fd) => print("close #$fd\n"));
        $s->start();
    PHP, $mode);
    $srv->waitReady(2);
    foreach (["fast\n", "slow\n", "fast\nslow\nfast\n"] as $request) {
        $c = tide_connect($srv->port);
        fwrite($c, $request);
        stream_socket_shutdown($c, STREAM_SHUT_WR);
        $got = '';
        while (!feof($c) && ($r = fread($c, 8192)) !== false) {
            $got .= $r;
        }
        $want = preg_replace('/^(.+)$/m', 're: $1', $request);
        $lines = explode("\n", trim($got));
        sort($lines);
        $expected = explode("\n", trim($want));
        sort($expected);
        echo "$name: ", json_encode($request), ' -> ',
            $lines === $expected ? 'every reply, then EOF' : json_encode($got), "\n";
    }
    $srv->stop();
    echo "$name: close events: ", substr_count($srv->out(), 'close #'), "\n";
}
?>
--EXPECT--
process: "fast\n" -> every reply, then EOF
process: "slow\n" -> every reply, then EOF
process: "fast\nslow\nfast\n" -> every reply, then EOF
process: close events: 3
base: "fast\n" -> every reply, then EOF
base: "slow\n" -> every reply, then EOF
base: "fast\nslow\nfast\n" -> every reply, then EOF
base: close events: 3
