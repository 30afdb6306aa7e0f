--TEST--
Server framing: open_eof_check (a receive may hold several packages, nothing goes on before the data ends with the eof) and open_eof_split (one package per receive), multi-byte package_eof cut anywhere
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

function fr_connect(int $port)
{
    $ctx = stream_context_create(['socket' => ['tcp_nodelay' => true]]);
    $c = @stream_socket_client("tcp://127.0.0.1:$port", $errno, $errstr, 5, STREAM_CLIENT_CONNECT, $ctx);
    if (!$c) {
        throw new RuntimeException("connect: $errstr");
    }
    stream_set_timeout($c, 0, 200000);
    return $c;
}

/* The server answers every receive with one line: the package's bytes in hex. */
function fr_lines($c, int $n, float $timeout = 5.0): array
{
    $buf = '';
    $deadline = microtime(true) + $timeout;
    while (substr_count($buf, "\n") < $n && microtime(true) < $deadline) {
        $r = @fread($c, 65536);
        if ($r === false || ($r === '' && feof($c))) {
            break;
        }
        $buf .= $r;
    }
    return array_map('hex2bin', $buf === '' ? [] : explode("\n", rtrim($buf, "\n")));
}

function bytewise($c, string $s): void
{
    for ($i = 0; $i < strlen($s); $i++) {
        fwrite($c, $s[$i]);
        usleep(300); /* pacing only: the bytes may also arrive together */
    }
}

function check(array &$res, string $what, array $got, array $want): void
{
    $res[] = "$what: " . ($got === $want ? 'ok' : 'got ' . json_encode(array_map(
        fn($g) => strlen($g) > 60 ? strlen($g) . ' bytes' : $g, $got)));
}

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 2, 'open_eof_check' => true]); /* package_eof defaults to \r\n */
        $ports = ['check' => $s->ports[0]->port];
        $more = [
            'check_multi' => ['open_eof_check' => true, 'package_eof' => "\x00\xff|EOF"],
            'split' => ['open_eof_check' => false, 'open_eof_split' => true, 'package_eof' => '<END>'],
            'split8' => ['open_eof_check' => false, 'open_eof_split' => true, 'package_eof' => 'ABCDEFGH'],
        ];
        foreach ($more as $k => $set) {
            $p = $s->listen('127.0.0.1', 0, Tide\SOCK_TCP);
            $p->set($set);
            $ports[$k] = $p->port;
        }
        $s->on('workerStart', function ($s, $id) use ($ports) {
            if ($id === 0) echo 'PORTS ' . json_encode($ports) . "\n"; /* one write: the other worker's lines may come between two */
            tide_test_ready($s);
        });
        $s->on('receive', function ($s, $fd, $rid, $data) {
            $s->send($fd, bin2hex($data) . "\n");
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(2);
    preg_match('/PORTS (\{[^\n]*?\})\n/', $srv->out(), $m);
    $ports = json_decode($m[1], true);
    $res = [];

    /* open_eof_check, \r\n */
    $c = fr_connect($ports['check']);
    fwrite($c, "a\r\nb\r\n");
    check($res, 'check: two in one write, one receive', fr_lines($c, 1), ["a\r\nb\r\n"]);
    fwrite($c, "c\r\nd");
    fwrite($c, "e\r\n"); /* a receive of "c\r\n" alone would come first */
    check($res, 'check: held until it ends with the eof', fr_lines($c, 1), ["c\r\nde\r\n"]);
    bytewise($c, "xyz\r\n");
    check($res, 'check: byte by byte', fr_lines($c, 1), ["xyz\r\n"]);
    fclose($c);

    /* open_eof_check with a 6-byte eof holding a NUL */
    $eof = "\x00\xff|EOF";
    $c = fr_connect($ports['check_multi']);
    fwrite($c, "one{$eof}two\x00\xff|EO");
    fwrite($c, "F");
    check($res, 'check multi: held, then both', fr_lines($c, 1), ["one{$eof}two{$eof}"]);
    bytewise($c, "p\x00\xff|E\x00\xff|EOF");
    check($res, 'check multi: a false start of the eof, byte by byte', fr_lines($c, 1), ["p\x00\xff|E{$eof}"]);
    fclose($c);

    /* open_eof_split with <END> */
    $c = fr_connect($ports['split']);
    fwrite($c, "a<END>b<END>c<EN");
    $got = fr_lines($c, 2);
    fwrite($c, "D>");
    $got = [...$got, ...fr_lines($c, 1)];
    check($res, 'split: one receive per package, eof cut in two writes', $got, ['a<END>', 'b<END>', 'c<END>']);
    bytewise($c, "hi<E<<END><END>");
    check($res, 'split: false starts, empty package, byte by byte', fr_lines($c, 2), ['hi<E<<END>', '<END>']);
    $big = str_repeat('0123456789', 20000); /* 200000 bytes, more than one read */
    fwrite($c, "{$big}<END>tail<END>");
    check($res, 'split: a big one and a small one in one write', fr_lines($c, 2, 10), ["{$big}<END>", 'tail<END>']);
    fclose($c);

    /* open_eof_split with the longest eof allowed (8 bytes) */
    $c = fr_connect($ports['split8']);
    $all = "xABCDEFGHyABCDEFGABCDEFGHzz";
    bytewise($c, substr($all, 0, 12));
    fwrite($c, substr($all, 12));
    fwrite($c, "ABCDEFGH");
    check($res, 'split8: 8-byte eof', fr_lines($c, 3), ['xABCDEFGH', 'yABCDEFGABCDEFGH', 'zzABCDEFGH']);
    fclose($c);

    $status = $srv->stop();
    foreach ($res as $r) echo "$name $r\n";
    echo "$name: status $status\n";
    if ($status !== 0) echo $srv->err();
}
?>
--EXPECT--
process check: two in one write, one receive: ok
process check: held until it ends with the eof: ok
process check: byte by byte: ok
process check multi: held, then both: ok
process check multi: a false start of the eof, byte by byte: ok
process split: one receive per package, eof cut in two writes: ok
process split: false starts, empty package, byte by byte: ok
process split: a big one and a small one in one write: ok
process split8: 8-byte eof: ok
process: status 0
base check: two in one write, one receive: ok
base check: held until it ends with the eof: ok
base check: byte by byte: ok
base check multi: held, then both: ok
base check multi: a false start of the eof, byte by byte: ok
base split: one receive per package, eof cut in two writes: ok
base split: false starts, empty package, byte by byte: ok
base split: a big one and a small one in one write: ok
base split8: 8-byte eof: ok
base: status 0
