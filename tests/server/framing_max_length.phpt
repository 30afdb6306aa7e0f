--TEST--
Server framing: package_max_length (length, eof_split and eof_check framing): a package of exactly the limit is served, a larger one closes that connection only (with eof_check also when the eof arrives in the read that crosses the limit), with a log line naming package_max_length
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

function fr_connect(int $port)
{
    $c = @stream_socket_client("tcp://127.0.0.1:$port", $errno, $errstr, 5);
    if (!$c) {
        throw new RuntimeException("connect: $errstr");
    }
    stream_set_timeout($c, 0, 200000);
    return $c;
}

/* Lines read until $n came, EOF or the timeout; [lines, eof]. */
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

/* Sends a package; 'ok' when the server answered with its length. $fd: the connection's id. */
function roundtrip($c, string $pkt, &$fd = null): string
{
    fwrite($c, $pkt);
    [$l, $eof] = fr_lines($c, 1);
    if (count($l) === 1 && preg_match('/^(\d+) (\d+)$/', $l[0], $m) && (int) $m[1] === strlen($pkt)) {
        $fd = (int) $m[2];
        return 'ok';
    }
    return json_encode($l) . ($eof ? ' closed' : '');
}

const MAX = 1000;
$kinds = [
    'length' => [fn($n) => pack('N', $n - 4) . str_repeat('L', $n - 4),
                 fn() => pack('N', 5000)], /* the header alone is enough */
    'split' => [fn($n) => str_repeat('s', $n - 2) . "\r\n",
                fn() => str_repeat('s', MAX + 1)],
    'check' => [fn($n) => str_repeat('c', $n - 2) . "\r\n",
                fn() => str_repeat('c', MAX + 1)],
    /* The terminator comes in the same read that crosses the limit. */
    'check-eof' => [fn($n) => str_repeat('c', $n - 2) . "\r\n",
                    fn() => str_repeat('c', MAX) . "\r\n"],
];

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 2, 'package_max_length' => 1000, 'open_length_check' => true,
                 'package_length_type' => 'N', 'package_body_offset' => 4]);
        $ports = ['length' => $s->ports[0]->port];
        foreach (['split' => 'open_eof_split', 'check' => 'open_eof_check'] as $k => $key) {
            $p = $s->listen('127.0.0.1', 0, Tide\SOCK_TCP);
            $p->set(['open_length_check' => false, $key => true]);
            $ports[$k] = $p->port;
        }
        $s->on('workerStart', function ($s, $id) use ($ports) {
            if ($id === 0) echo 'PORTS ' . json_encode($ports) . "\n"; /* one write: the other worker's lines may come between two */
            tide_test_ready($s);
        });
        $s->on('receive', function ($s, $fd, $rid, $data) { $s->send($fd, strlen($data) . " $fd\n"); });
        $s->on('close', function ($s, $fd, $rid) { echo "close $fd\n"; });
        $s->start();
    PHP, $mode);
    $srv->waitReady(2);
    preg_match('/PORTS (\{[^\n]*?\})\n/', $srv->out(), $m);
    $ports = json_decode($m[1], true);

    $closes = 0;
    foreach ($kinds as $k => [$good, $bad]) {
        $port = $ports[explode('-', $k)[0]];
        $keep = fr_connect($port);              /* opened before, must keep working */
        $r1 = roundtrip($keep, $good(10));
        $victim = fr_connect($port);
        $r2 = roundtrip($victim, $good(MAX), $vfd);   /* exactly the limit */
        fwrite($victim, $bad());
        [$l, $eof] = fr_lines($victim, -1);
        $closes++;
        $logged = $srv->waitFor('package_max_length', $closes, 5);
        $closeEvents = $srv->waitFor("close $vfd\n", 1, 5);
        $r3 = roundtrip($keep, $good(MAX));
        $r4 = roundtrip(fr_connect($port), $good(20)); /* and new ones are served */
        echo "$name $k: small $r1, at the limit $r2, over it: ", json_encode($l),
            $eof ? ' closed' : ' NOT closed', ', logged ', var_export($logged, true),
            ', close event ', var_export($closeEvents, true), ", other connection $r3, new one $r4\n";
        fclose($keep);
        fclose($victim);
    }
    $status = $srv->stop();
    echo "$name: status $status\n";
    if ($status !== 0) echo $srv->err();
}
?>
--EXPECT--
process length: small ok, at the limit ok, over it: [] closed, logged true, close event true, other connection ok, new one ok
process split: small ok, at the limit ok, over it: [] closed, logged true, close event true, other connection ok, new one ok
process check: small ok, at the limit ok, over it: [] closed, logged true, close event true, other connection ok, new one ok
process check-eof: small ok, at the limit ok, over it: [] closed, logged true, close event true, other connection ok, new one ok
process: status 0
base length: small ok, at the limit ok, over it: [] closed, logged true, close event true, other connection ok, new one ok
base split: small ok, at the limit ok, over it: [] closed, logged true, close event true, other connection ok, new one ok
base check: small ok, at the limit ok, over it: [] closed, logged true, close event true, other connection ok, new one ok
base check-eof: small ok, at the limit ok, over it: [] closed, logged true, close event true, other connection ok, new one ok
base: status 0
