--TEST--
Server limits: buffer_output_size with a slow reader: what send() accepted all arrives, in order and without holes, when the sender retries after send() returned false (tight loop and yielding)
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

const CHUNKS = 160;           /* of 64 KiB: 10 MiB through a 256 KiB output buffer */
const CHUNK = 64 << 10;

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 1, 'buffer_output_size' => 256 << 10,
                 'open_eof_split' => true, 'package_eof' => "\n"]);
        $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
        $s->on('receive', function ($s, $fd, $rid, $data) {
            [$cmd, $n, $size] = explode(' ', trim($data));
            $refused = 0;
            set_error_handler(function () { return true; });
            for ($i = 0; $i < (int) $n; $i++) {
                /* a chunk: its number, then filler */
                $chunk = str_pad(sprintf('%08d', $i), (int) $size, chr(97 + $i % 26));
                $tries = 0;
                while (!$s->send($fd, $chunk)) {
                    $refused++;
                    if (++$tries > 2000 || !$s->exists($fd)) {
                        echo "$cmd: gave up at $i\n";
                        break 2;
                    }
                    Tide\Coroutine::sleep(0.005); /* let it drain */
                }
                if ($cmd === 'yield') {
                    Tide\Coroutine::sleep(0);
                }
            }
            restore_error_handler();
            echo "$cmd: sent $i\n";
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(1);
    foreach (['tight', 'yield'] as $cmd) {
        $c = tide_connect($srv->port, timeout: 5);
        fwrite($c, "$cmd " . CHUNKS . ' ' . CHUNK . "\n");
        /* A slow reader: a little at a time. */
        $buf = '';
        $bad = null;
        $next = 0;
        $deadline = microtime(true) + 8;
        $quiet = 0;
        while ($next < CHUNKS && microtime(true) < $deadline) {
            $rd = [$c];
            $w = $e = null;
            if (stream_select($rd, $w, $e, 0, 200000) < 1) {
                /* nothing for 0.2 s: done when the server says it sent everything */
                if (str_contains($srv->out(), "$cmd: ") && ++$quiet >= 3) {
                    break;
                }
                continue;
            }
            $quiet = 0;
            $r = fread($c, 8192);
            if ($r === false || ($r === '' && feof($c))) {
                break;
            }
            $buf .= $r;
            while (strlen($buf) >= CHUNK) {
                $chunk = substr($buf, 0, CHUNK);
                $buf = substr($buf, CHUNK);
                $want = str_pad(sprintf('%08d', $next), CHUNK, chr(97 + $next % 26));
                if ($chunk !== $want && $bad === null) {
                    $bad = "chunk $next is " . json_encode(substr($chunk, 0, 8));
                }
                $next++;
            }
        }
        $srv->waitFor("$cmd: sent", 1, 5);
        preg_match("/^$cmd: (sent .*|gave up .*)$/m", $srv->out(), $m);
        echo "$name $cmd: received ", $next === CHUNKS ? 'all' : $next, ' chunks, ', $bad ?? 'in order',
            '; server: ', $m[1] ?? 'no report', "\n";
        fclose($c);
    }
    $status = $srv->stop();
    echo "$name: status $status\n";
    if ($status !== 0) echo $srv->err();
}
?>
--EXPECT--
process tight: received all chunks, in order; server: sent 160
process yield: received all chunks, in order; server: sent 160
process: status 0
base tight: received all chunks, in order; server: sent 160
base yield: received all chunks, in order; server: sent 160
base: status 0
