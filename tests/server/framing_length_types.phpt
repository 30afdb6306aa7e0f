--TEST--
Server framing: open_length_check with every package_length_type, a magic before the length field, split byte by byte, split in the header, several packages in one write, big packages
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

/* A client socket with TCP_NODELAY, so that byte-by-byte writes leave as separate segments. */
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

/* Reads $n newline-terminated lines (fewer on EOF or after $timeout s). */
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
    return $buf === '' ? [] : explode("\n", rtrim($buf, "\n"));
}

const TYPES = ['c', 'C', 's', 'S', 'n', 'N', 'l', 'L', 'v', 'V', 'q', 'J', 'P'];
const SIZES = ['c' => 1, 'C' => 1, 's' => 2, 'S' => 2, 'n' => 2, 'v' => 2,
               'l' => 4, 'L' => 4, 'N' => 4, 'V' => 4, 'q' => 8, 'J' => 8, 'P' => 8];

/* The body lengths tried for a type: up to the largest its field holds (and beyond 64 KiB,
 * more than one read, for the 4 and 8 byte ones). */
function bodies(string $t): array
{
    return match (SIZES[$t]) {
        1 => [0, 1, 7, $t === 'c' ? 127 : 255],
        2 => [0, 1, 300, $t === 's' ? 32767 : 65535],
        default => [0, 1, 300, 200000],
    };
}

function packet(string $t, int $bodyLen, string $fill): string
{
    return "TD" . pack($t, $bodyLen) . str_repeat($fill, $bodyLen);
}

function expect_line(string $pkt): string
{
    return strlen($pkt) . ' ' . md5($pkt);
}

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        const SIZES = ['c' => 1, 'C' => 1, 's' => 2, 'S' => 2, 'n' => 2, 'v' => 2,
                       'l' => 4, 'L' => 4, 'N' => 4, 'V' => 4, 'q' => 8, 'J' => 8, 'P' => 8];
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        /* The main port: the type given to the server itself. */
        $s->set(['worker_num' => 2, 'open_length_check' => true, 'package_length_type' => 'N',
                 'package_length_offset' => 2, 'package_body_offset' => 6,
                 'package_max_length' => 1 << 20]);
        $ports = ['main' => $s->ports[0]->port];
        foreach (SIZES as $t => $size) {
            $p = $s->listen('127.0.0.1', 0, Tide\SOCK_TCP);
            $p->set(['open_length_check' => true, 'package_length_type' => $t,
                     'package_length_offset' => 2, 'package_body_offset' => 2 + $size]);
            $ports[$t] = $p->port;
        }
        $s->on('workerStart', function ($s, $id) use ($ports) {
            if ($id === 0) echo 'PORTS ' . json_encode($ports) . "\n"; /* one write: the other worker's lines may come between two */
            tide_test_ready($s);
        });
        $s->on('receive', function ($s, $fd, $rid, $data) {
            $s->send($fd, strlen($data) . ' ' . md5($data) . "\n");
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(2);
    preg_match('/PORTS (\{[^\n]*?\})\n/', $srv->out(), $m);
    $ports = json_decode($m[1], true);

    $bad = [];
    foreach (['main', ...TYPES] as $key) {
        $t = $key === 'main' ? 'N' : $key;
        $c = fr_connect($ports[$key]);

        /* 1. Byte by byte. */
        $pkt = packet($t, 5, 'a');
        for ($i = 0; $i < strlen($pkt); $i++) {
            fwrite($c, $pkt[$i]);
            usleep(300); /* pacing only: the bytes may arrive together as well */
        }
        $got = fr_lines($c, 1);
        if ($got !== [expect_line($pkt)]) {
            $bad[] = "$key byte-by-byte: " . json_encode($got);
        }

        /* 2. Every body length, several packages in one write. */
        $all = '';
        $want = [];
        foreach (bodies($t) as $i => $len) {
            $p = packet($t, $len, chr(ord('b') + $i));
            $all .= $p;
            $want[] = expect_line($p);
        }
        fwrite($c, $all);
        $got = fr_lines($c, count($want));
        if ($got !== $want) {
            $bad[] = "$key in one write: " . json_encode($got) . ' wanted ' . json_encode($want);
        }

        /* 3. Cut inside the length field, then the rest with the start of the next one. */
        $p1 = packet($t, 3, 'x');
        $p2 = packet($t, 4, 'y');
        $cut = 2 + intdiv(SIZES[$t], 2) + (SIZES[$t] === 1 ? 1 : 0);
        $both = $p1 . $p2;
        fwrite($c, substr($both, 0, $cut));
        usleep(1000); /* pacing only */
        fwrite($c, substr($both, $cut, strlen($p1) + 3 - $cut));
        usleep(1000);
        fwrite($c, substr($both, strlen($p1) + 3));
        $got = fr_lines($c, 2);
        if ($got !== [expect_line($p1), expect_line($p2)]) {
            $bad[] = "$key split header: " . json_encode($got);
        }
        fclose($c);
    }
    echo "$name: ", $bad ? implode("\n", $bad) : 'all types ok', "\n";
    $status = $srv->stop();
    echo "$name: status $status\n";
    if ($status !== 0 || $bad) echo $srv->err();
}
?>
--EXPECT--
process: all types ok
process: status 0
base: all types ok
base: status 0
