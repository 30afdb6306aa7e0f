--TEST--
Server framing: length layouts (length counting the whole package, fields after the length, the defaults) and malformed length fields (negative, shorter than the header, 64-bit overflow) closing the connection
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

/* Reads lines until $n were read, EOF, or the timeout; [lines, eof]. */
function fr_lines($c, int $n, float $timeout = 5.0): array
{
    $buf = '';
    $eof = false;
    $deadline = microtime(true) + $timeout;
    while (($n < 0 || substr_count($buf, "\n") < $n) && microtime(true) < $deadline) {
        $r = @fread($c, 65536);
        if ($r === false || ($r === '' && feof($c))) {
            $eof = true;
            break;
        }
        $buf .= $r;
    }
    return [$buf === '' ? [] : explode("\n", rtrim($buf, "\n")), $eof];
}

function line(string $pkt): string
{
    return strlen($pkt) . ' ' . bin2hex(substr($pkt, 0, 24));
}

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 1]);
        $layouts = [
            /* defaults: 'N' at 0, body offset 0: the length counts the whole package */
            'default' => ['open_length_check' => true],
            /* magic, 'n' length, a 4-byte sequence number, then the body */
            'extra' => ['open_length_check' => true, 'package_length_type' => 'n',
                        'package_length_offset' => 2, 'package_body_offset' => 8],
            'signed' => ['open_length_check' => true, 'package_length_type' => 'l',
                         'package_length_offset' => 0, 'package_body_offset' => 4],
            /* 'J' at 0 and 8 more header bytes */
            'wide' => ['open_length_check' => true, 'package_length_type' => 'J',
                       'package_length_offset' => 0, 'package_body_offset' => 16],
        ];
        $ports = [];
        foreach ($layouts as $k => $set) {
            $p = $s->listen('127.0.0.1', 0, Tide\SOCK_TCP);
            $p->set($set);
            $p->on('receive', function ($s, $fd, $rid, $data) use ($k) {
                $line = strlen($data) . ' ' . bin2hex(substr($data, 0, 24));
                echo "recv $k $line\n";
                $s->send($fd, "$line\n");
            });
            $ports[$k] = $p->port;
        }
        $s->on('workerStart', function ($s, $id) use ($ports) {
            echo 'PORTS ' . json_encode($ports) . "\n"; /* one write: the other worker's lines may come between two */
            tide_test_ready($s);
        });
        $s->on('receive', function ($s, $fd, $rid, $data) { echo "main port?\n"; });
        $s->on('close', function ($s, $fd, $rid) { echo "close $fd\n"; });
        $s->start();
    PHP, $mode);
    $srv->waitReady(1);
    preg_match('/PORTS (\{[^\n]*?\})\n/', $srv->out(), $m);
    $ports = json_decode($m[1], true);
    $res = [];

    /* default layout: length = whole package, a header-only package, then a bad one */
    $c = fr_connect($ports['default']);
    $p1 = pack('N', 7) . 'abc';
    $p2 = pack('N', 4);
    fwrite($c, $p1 . $p2);
    [$l] = fr_lines($c, 2);
    $res[] = 'default: ' . ($l === [line($p1), line($p2)] ? 'ok' : json_encode($l));
    fwrite($c, pack('N', 2) . 'zz'); /* shorter than its own length field */
    [$l, $eof] = fr_lines($c, -1);
    $res[] = 'default length 2: ' . json_encode($l) . ($eof ? ' closed' : ' open');
    fclose($c);

    /* extra header fields after the length */
    $c = fr_connect($ports['extra']);
    $p1 = 'MG' . pack('n', 5) . pack('N', 1) . 'hello';
    $p2 = 'MG' . pack('n', 0) . pack('N', 2);
    $p3 = 'MG' . pack('n', 1) . pack('N', 3) . '!';
    fwrite($c, $p1 . $p2 . substr($p3, 0, 5));
    [$l] = fr_lines($c, 2);
    fwrite($c, substr($p3, 5));
    [$l2] = fr_lines($c, 1);
    $res[] = 'extra: ' . ([...$l, ...$l2] === [line($p1), line($p2), line($p3)] ? 'ok' : json_encode([...$l, ...$l2]));
    fclose($c);

    /* a negative signed length: the good package before it is delivered, then closed */
    $c = fr_connect($ports['signed']);
    $p1 = pack('l', 2) . 'ok';
    fwrite($c, $p1 . pack('l', -5) . 'xxxxx');
    [, $eof] = fr_lines($c, -1);
    $res[] = 'signed negative: ' . ($eof ? 'closed' : 'open');

    /* a 64-bit length that wraps around when the body offset is added */
    $c2 = fr_connect($ports['wide']);
    $p1 = pack('J', 1) . 'seqseqsq' . 'Z';
    fwrite($c2, $p1 . pack('J', -4) . str_repeat('w', 30));
    [, $eof] = fr_lines($c2, -1);
    $res[] = 'wide overflow: ' . ($eof ? 'closed' : 'open');
    fclose($c2);

    $closes = $srv->waitFor('close ', 4);
    /* What the server received on those two (a reply to the last good package may be lost
     * when the server closes the connection right after it). */
    foreach (['signed' => pack('l', 2) . 'ok', 'wide' => pack('J', 1) . 'seqseqsq' . 'Z'] as $k => $good) {
        preg_match_all("/^recv $k (.*)\$/m", $srv->out(), $m);
        $res[] = "$k received: " . ($m[1] === [line($good)] ? 'the good package only' : json_encode($m[1]));
    }
    $status = $srv->stop();
    echo implode("\n", array_map(fn($r) => "$name $r", $res)), "\n";
    $err = $srv->err();
    echo "$name: close events ", $closes ? 'ok' : substr_count($srv->out(), 'close '),
        ", negative logged: ", var_export(str_contains($err, 'negative'), true), ", status $status\n";
    if ($status !== 0) echo $err;
}
?>
--EXPECT--
process default: ok
process default length 2: [] closed
process extra: ok
process signed negative: closed
process wide overflow: closed
process signed received: the good package only
process wide received: the good package only
process: close events ok, negative logged: true, status 0
base default: ok
base default length 2: [] closed
base extra: ok
base signed negative: closed
base wide overflow: closed
base signed received: the good package only
base wide received: the good package only
base: close events ok, negative logged: true, status 0
