--TEST--
Server: warnings and log lines a client can make repeat without end are rate-limited with a count of what was left out: send() refused by a full buffer_output_size (hundreds to thousands of calls), connections refused by max_connection (hundreds), in both modes
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 1, 'max_connection' => 3, 'buffer_output_size' => 64 << 10,
                 'open_eof_split' => true, 'package_eof' => "\n"]);
        $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
        $s->on('receive', function ($s, $fd, $rid, $data) {
            if ($data !== "flood\n") {
                $s->send($fd, "pong\n");
                return;
            }
            /* 1.5 s of sends to a client that never reads: all but the first few refused. */
            $chunk = str_repeat('x', 32 << 10);
            $refused = 0;
            $t0 = microtime(true);
            for ($i = 0; microtime(true) - $t0 < 1.5; $i++) {
                if (!$s->send($fd, $chunk)) {
                    $refused++;
                }
                if ($i % 200 === 0) {
                    Tide\Coroutine::sleep(0.001);
                }
            }
            echo "REFUSED $refused\n";
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(1);
    $sink = tide_connect($srv->port);
    fwrite($sink, "flood\n");
    $srv->waitFor('REFUSED', 1, 10);
    preg_match('/REFUSED (\d+)/', $srv->out(), $m);
    $warnings = substr_count($srv->out(), 'output buffer full');
    $summary = preg_match('/similar warnings left out/', $srv->out());
    echo "$name: refused sends: ", ($m[1] ?? 0) > 300 ? 'hundreds or more' : ($m[1] ?? 'none'),
        ", warnings printed: ", $warnings <= 30 ? 'at most 30' : $warnings,
        ", says how many were left out: ", $summary ? 'yes' : 'no', "\n";

    /* Connections past max_connection, hundreds of them. */
    $keep = [tide_connect($srv->port), tide_connect($srv->port)];
    $t0 = microtime(true);
    for ($i = 0; $i < 300 || microtime(true) - $t0 < 1.2; $i++) {
        $c = @stream_socket_client("tcp://127.0.0.1:{$srv->port}", $e, $es, 1);
        if ($c) {
            fclose($c);
        }
    }
    /* The count of what was left out comes with the next line let through, in a later
     * second: one more refused connection a second later, until it shows. */
    for ($round = 0; $round < 4 && !str_contains($srv->err(), 'similar lines dropped'); $round++) {
        usleep(1100000);
        $c = @stream_socket_client("tcp://127.0.0.1:{$srv->port}", $e, $es, 1);
        if ($c) {
            fclose($c);
        }
        $srv->waitFor('similar lines dropped', 1, 0.5);
    }
    $srv->stop();
    $lines = substr_count($srv->err(), 'max_connection (3) reached');
    echo "$name: refused connections logged in ", $lines <= 30 ? 'at most 30 lines' : "$lines lines",
        ", with a count of the rest: ", str_contains($srv->err(), 'similar lines dropped') ? 'yes' : 'no', "\n";
}
?>
--EXPECT--
process: refused sends: hundreds or more, warnings printed: at most 30, says how many were left out: yes
process: refused connections logged in at most 30 lines, with a count of the rest: yes
base: refused sends: hundreds or more, warnings printed: at most 30, says how many were left out: yes
base: refused connections logged in at most 30 lines, with a count of the rest: yes
