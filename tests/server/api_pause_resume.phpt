--TEST--
Server: pause() stops delivering a connection's data, resume() delivers what came meanwhile, nothing lost (also under repeated pause/resume of a stream)
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        function ready($s) { echo "READY {$s->ports[0]->port} {$s->worker_id} " . getmypid() . "\n"; }
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 2, 'open_eof_split' => true, 'package_eof' => "\n"]);
        $s->on('workerStart', fn($s, $id) => ready($s));
        $got = [];
        $s->on('receive', function ($s, $fd, $rid, $data) use (&$got) {
            $w = explode(' ', rtrim($data, "\n"));
            switch ($w[0]) {
            case 'me':
                $s->send($fd, "$fd\n");
                break;
            case 'pause':
                $r1 = $s->pause((int) ($w[1] ?? $fd));
                $r2 = @$s->pause((int) ($w[1] ?? $fd));
                $s->send($fd, 'paused ' . json_encode([$r1, $r2]) . "\n");
                break;
            case 'resume':
                $s->send($fd, 'resumed ' . json_encode($s->resume((int) $w[1])) . "\n");
                break;
            case 'again':
                $s->send($fd, 'resume again ' . json_encode(@$s->resume((int) $w[1])) . "\n");
                break;
            case 'status':
                $i = $s->getClientInfo((int) $w[1]);
                $s->send($fd, json_encode([$i['paused'], $i['recv_bytes']]) . "\n");
                break;
            case 'unknown':
                $s->send($fd, json_encode([$s->pause(999999), $s->resume(999999)]) . "\n");
                break;
            case 'stream':
                /* Pause after every line and resume a moment later, from a timer. */
                $got[$fd] = ($got[$fd] ?? '') . $w[1];
                $s->pause($fd);
                Tide\Timer::after(1, fn() => $s->resume($fd));
                break;
            case 'end':
                $s->send($fd, 'streamed ' . strlen($got[$fd] ?? '') . ' ' . md5($got[$fd] ?? '') . "\n");
                break;
            default:
                $s->send($fd, "echo $data");
            }
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(2);
    $a = tide_connect($srv->port);
    $ctl = tide_connect($srv->port);
    fwrite($a, "me\n");
    $aid = (int) tide_read_until($a, "\n");
    $ask = function (string $q) use ($ctl) {
        fwrite($ctl, "$q\n");
        return trim(tide_read_until($ctl, "\n"));
    };
    fwrite($a, "pause\n");
    echo "$name: ", trim(tide_read_until($a, "\n")), "\n";
    $before = json_decode($ask("status $aid"), true);
    fwrite($a, "d1\nd2\n");
    fwrite($a, "d3\n");
    /* A few round trips on another connection give the server every chance to (wrongly) deliver. */
    for ($i = 0; $i < 20; $i++) $st = json_decode($ask("status $aid"), true);
    stream_set_blocking($a, false);
    $early = fread($a, 100);
    stream_set_blocking($a, true);
    echo "$name: while paused: paused=", json_encode($st[0]), ", bytes read by the server ", $st[1] - $before[1],
        ", replies ", json_encode($early), "\n";
    echo "$name: ", $ask("resume $aid"), "\n";
    echo "$name: ", str_replace("\n", '|', tide_read_until($a, "echo d3\n")), "\n";
    echo "$name: ", $ask("status $aid"), " ", $ask("again $aid"), "\n";
    /* Paused from another connection's handler (maybe another worker): once pause() has
     * returned there, what the client sends is held too. A few rounds, on new connections. */
    $res = [];
    for ($round = 0; $round < 6; $round++) {
        $ctl2 = tide_connect($srv->port);
        fwrite($ctl2, "pause $aid\n");
        $p = trim(tide_read_until($ctl2, "\n"));
        fwrite($a, "d4 $round\n");
        for ($i = 0; $i < 10; $i++) $ask("status $aid");
        stream_set_blocking($a, false);
        $early = fread($a, 100);
        stream_set_blocking($a, true);
        fwrite($ctl2, "resume $aid\n");
        $r = trim(tide_read_until($ctl2, "\n"));
        $res[] = "$p, early " . json_encode($early) . ", $r, " . trim(tide_read_until($a, "\n"));
        fclose($ctl2);
    }
    $want = array_map(fn($r) => "paused [true,false], early \"\", resumed true, echo d4 $r", range(0, 5));
    echo "$name: paused by others: ", $res === $want ? 'held until resumed' : "WRONG\n" . implode("\n", $res), "\n";
    echo "$name: unknown fd: ", $ask('unknown'), "\n";

    /* A stream of lines, each one pausing the connection; every byte arrives, in order. */
    $b = tide_connect($srv->port);
    $data = '';
    $chunk = '';
    for ($i = 0; $i < 400; $i++) {
        $piece = substr(md5("x$i"), 0, 1 + $i % 32) . $i;
        $data .= $piece;
        $chunk .= "stream $piece\n";
        if (strlen($chunk) > 3000) {
            fwrite($b, $chunk);
            $chunk = '';
        }
    }
    fwrite($b, $chunk . "end\n");
    $r = trim(tide_read_until($b, "\n", 9));
    echo "$name: stream: ", $r === 'streamed ' . strlen($data) . ' ' . md5($data) ? 'all bytes, in order' : "wrong: $r (want " . strlen($data) . ")", "\n";
    $status = $srv->stop();
    $out = preg_replace('/^READY.*\n/m', '', $srv->out());
    echo "$name: status $status\n", $out;
}
?>
--EXPECTF--
process: paused [true,false]
process: while paused: paused=true, bytes read by the server 0, replies ""
process: resumed true
process: echo d1|echo d2|echo d3|
process: [false,%d] resume again false
process: paused by others: held until resumed
process: unknown fd: [false,false]
process: stream: all bytes, in order
process: status 0

Warning: Tide\Server::pause(): connection #999999 does not exist in %s on line %d

Warning: Tide\Server::resume(): connection #999999 does not exist in %s on line %d
base: paused [true,false]
base: while paused: paused=true, bytes read by the server 0, replies ""
base: resumed true
base: echo d1|echo d2|echo d3|
base: [false,%d] resume again false
base: paused by others: held until resumed
base: unknown fd: [false,false]
base: stream: all bytes, in order
base: status 0

Warning: Tide\Server::pause(): connection #999999 does not exist in %s on line %d

Warning: Tide\Server::resume(): connection #999999 does not exist in %s on line %d
