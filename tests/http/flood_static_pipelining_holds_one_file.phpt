--TEST--
HTTP static files, hostile client: 2,000 pipelined GETs of a 1 MiB file from a client that never reads hold one open file and a bounded output, not 2,000 file descriptors; a bystander is answered meanwhile, and memory stays near idle, in both modes
--FILE--
<?php
require __DIR__ . '/../inc/http.inc';

$root = sys_get_temp_dir() . '/tide-static-flood-' . getmypid();
@mkdir($root, 0755, true);
file_put_contents("$root/big.bin", str_repeat('z', 1 << 20));
file_put_contents("$root/small.txt", "small\n");

/* Open descriptors and RSS (KiB) of every process of the server. */
function server_usage(int $pid): array
{
    $fds = $rss = 0;
    foreach ([$pid, ...TideServerProc::descendants($pid)] as $p) {
        $fds += count(@scandir("/proc/$p/fd") ?: []);
        preg_match('/^VmRSS:\s+(\d+)/m', (string) @file_get_contents("/proc/$p/status"), $m);
        $rss += (int) ($m[1] ?? 0);
    }
    return [$fds, $rss];
}

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        $s = new Tide\Http\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 1, 'document_root' => getenv('DOCROOT'), 'enable_static_handler' => true]);
        $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
        $s->on('request', fn($req, $res) => $res->end('handler'));
        $s->start();
    PHP, $mode, ['DOCROOT' => $root]);
    $srv->waitReady(1);
    $warm = tide_http($srv->port, "GET /small.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    [$fds0, $rss0] = server_usage($srv->pid);

    $bad = tide_connect($srv->port);
    stream_set_blocking($bad, false);
    $flood = str_repeat("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n", 2000);
    /* Write while the server takes it; once the socket stays unwritable for 0.2 s the
     * server has stopped reading and the rest would only wait. */
    while ($flood !== '') {
        $r = $e = null;
        $w = [$bad];
        if (!stream_select($r, $w, $e, 0, 200000)) {
            break;
        }
        $flood = substr($flood, (int) @fwrite($bad, $flood));
    }
    /* Ready when the server has answered the first request (its bytes are waiting for us):
     * by then it has taken the pipelined ones as far as it will before the bystander. */
    $r = [$bad];
    $w = $e = null;
    echo "$name: first answer started: ", var_export(stream_select($r, $w, $e, 5) === 1, true), "\n";
    $t = microtime(true);
    $b = tide_http($srv->port, "GET /small.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    echo "$name: bystander got ", json_encode($b['body'] ?? null), " within 2 s: ",
        var_export(microtime(true) - $t < 2, true), "\n";
    [$peakFds, $peakRss] = server_usage($srv->pid);
    $extraFds = $peakFds - $fds0;
    echo "$name: open descriptors grew by at most 10: ", var_export($extraFds <= 10, true),
        $extraFds <= 10 ? '' : " ($extraFds)", "\n";
    $grew = $peakRss - $rss0;
    echo "$name: memory grew under 16 MiB: ", var_export($grew < 16384, true), $grew < 16384 ? '' : " ($grew KiB)", "\n";
    /* The client reads after all: it gets whole responses, in order. */
    stream_set_blocking($bad, true);
    $r = tide_http_read($bad, 10);
    echo "$name: first response ", $r['status'] ?? 'none', ", ", strlen($r['body'] ?? ''), " bytes\n";
    fclose($bad);
    $srv->stop();
}
exec('rm -rf ' . escapeshellarg($root));
?>
--EXPECT--
process: first answer started: true
process: bystander got "small\n" within 2 s: true
process: open descriptors grew by at most 10: true
process: memory grew under 16 MiB: true
process: first response 200, 1048576 bytes
base: first answer started: true
base: bystander got "small\n" within 2 s: true
base: open descriptors grew by at most 10: true
base: memory grew under 16 MiB: true
base: first response 200, 1048576 bytes
