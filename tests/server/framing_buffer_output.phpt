--TEST--
Server limits: buffer_output_size: a client that never reads; send() of big chunks returns false with a warning naming the output buffer once it is full (with and without yielding between sends), memory stays bounded and other connections keep working
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

/* VmRSS (now) or VmHWM (the peak) of a process, in kB. */
function rss_kb(int $pid, string $what = 'VmRSS'): int
{
    $s = @file_get_contents("/proc/$pid/status");
    return $s !== false && preg_match("/^$what:\\s+(\\d+)/m", $s, $m) ? (int) $m[1] : -1;
}

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 1, 'buffer_output_size' => 1 << 20,
                 'open_eof_split' => true, 'package_eof' => "\n"]);
        $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
        $s->on('receive', function ($s, $fd, $rid, $data) {
            $cmd = trim($data);
            if ($cmd === 'ping') {
                $s->send($fd, "pong\n");
                return;
            }
            /* flood: 256 KiB chunks until send() says no (at most 400 of them, 100 MiB) */
            $chunk = str_repeat('x', 256 << 10);
            $warnings = [];
            set_error_handler(function ($no, $msg) use (&$warnings) { $warnings[] = $msg; return true; });
            $ok = 0;
            for ($i = 0; $i < 400; $i++) {
                if (!$s->send($fd, $chunk)) {
                    break;
                }
                $ok++;
                if ($cmd === 'flood-yield') {
                    Tide\Coroutine::sleep(0.002);
                }
            }
            restore_error_handler();
            echo "$cmd: accepted $ok, refused " . ($i < 400 ? 'yes' : 'never') . ', warnings '
                . count($warnings) . ' ' . json_encode($warnings[0] ?? '') . "\n";
            echo "FLOOD DONE\n";
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(1);
    $pids = array_unique([$srv->pid, ...array_values($srv->workerPids)]);
    $rss0 = array_map('rss_kb', $pids);

    $other = tide_connect($srv->port);
    $res = [];
    $n = 0;
    foreach (['flood', 'flood-yield'] as $cmd) {
        $sink = tide_connect($srv->port);     /* never read */
        fwrite($sink, "$cmd\n");
        $done = $srv->waitFor('FLOOD DONE', ++$n, 15);
        fwrite($other, "ping\n");
        $pong = tide_read_until($other, "\n", 3) === "pong\n";
        preg_match_all('/^' . preg_quote($cmd) . ': accepted (\d+), refused (\w+), warnings (\d+) (.*)$/m', $srv->out(), $m, PREG_SET_ORDER);
        $line = end($m);
        if (!$done || !$line) {
            $res[] = "$cmd: no report";
        } else {
            $accepted = (int) $line[1] * 256; /* KiB */
            $warning = json_decode($line[4]);
            $named = str_contains($warning, 'buffer_output_size') || str_contains($warning, 'output buffer');
            $res[] = "$cmd: refused {$line[2]}, accepted " . ($accepted <= 32 << 10 ? 'bounded' : "$accepted KiB")
                . ', warning ' . ($line[3] >= 1 && $named ? 'names the output buffer' : json_encode($warning))
                . ', other connection ' . ($pong ? 'served' : 'NOT served');
        }
        fclose($sink);
    }
    foreach ($pids as $i => $pid) {
        $grow = rss_kb($pid, 'VmHWM') - $rss0[$i];
        if ($grow > 48 << 10) {
            $res[] = ($pid === $srv->pid ? 'master/manager' : 'worker') . " peaked $grow kB above its start";
        }
    }
    fclose($other);
    $status = $srv->stop();
    foreach ($res as $r) echo "$name $r\n";
    echo "$name: status $status\n";
    if ($status !== 0) echo $srv->err();
}
?>
--EXPECT--
process flood: refused yes, accepted bounded, warning names the output buffer, other connection served
process flood-yield: refused yes, accepted bounded, warning names the output buffer, other connection served
process: status 0
base flood: refused yes, accepted bounded, warning names the output buffer, other connection served
base flood-yield: refused yes, accepted bounded, warning names the output buffer, other connection served
base: status 0
