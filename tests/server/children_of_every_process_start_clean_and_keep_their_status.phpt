--TEST--
Server: programs that PHP code starts from the master, the manager or a worker (proc_open) begin with no signal blocked or ignored by Tide (SIGTERM ends them), and proc_close() returns their real exit status even after the process's event loop ran meanwhile (no process of the server reaps what it did not start), in both modes
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        $late = [];
        /* Run directly (no shell: a shell resets its own mask): the child's blocked and
         * ignored signals (SIGTERM is bit 14); a `sleep` that must die of SIGTERM; and a child
         * that exits while the loop runs, closed by a later event. */
        function probe(string $where): void
        {
            global $late;
            $p = proc_open(['grep', '-E', '^Sig(Blk|Ign)', '/proc/self/status'], [1 => ['pipe', 'w']], $pipes);
            $out = stream_get_contents($pipes[1]);
            proc_close($p);
            preg_match('/SigBlk:\s+(\w+)/', $out, $b);
            preg_match('/SigIgn:\s+(\w+)/', $out, $i);
            $term = fn($hex) => (hexdec(substr($hex, -8)) >> 14) & 1 ? 'yes' : 'no';
            $q = proc_open(['sleep', '5'], [], $pipes);
            usleep(50000);
            proc_terminate($q, SIGTERM);
            $t0 = microtime(true);
            $st = proc_close($q);
            $late[$where] = proc_open(['sh', '-c', 'exit 7'], [], $pipes);
            echo "$where: SIGTERM blocked " . $term($b[1] ?? 'x') . ', ignored ' . $term($i[1] ?? 'x')
                . ", SIGTERM ends a child: " . ($st === 15 && microtime(true) - $t0 < 2 ? 'yes' : "no ($st)") . "\n";
        }
        function close_late(string $where): void
        {
            global $late;
            echo "$where: a child closed after the loop ran: exit status " . proc_close($late[$where]) . "\n";
        }
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 1]);
        $s->on('start', fn($s) => probe('start'));
        $s->on('shutdown', fn($s) => close_late('start'));
        $s->on('managerStart', fn($s) => probe('managerStart'));
        $s->on('managerStop', fn($s) => close_late('managerStart'));
        $s->on('workerStart', function ($s, $id) { probe('workerStart'); tide_test_ready($s); });
        $s->on('workerStop', fn($s) => close_late('workerStart'));
        $s->on('receive', fn($s, $fd, $r, $d) => $s->send($fd, "done\n"));
        $s->start();
    PHP, $mode);
    $srv->waitReady(1);
    $c = tide_connect($srv->port);
    fwrite($c, 'x');
    tide_read_until($c, "done\n", 10); /* the loops have run since the children exited */
    usleep(200000);
    $srv->stop();
    foreach (['start', 'managerStart', 'workerStart'] as $where) {
        preg_match_all("/^$where: .*$/m", $srv->out(), $m);
        echo "$name, ", $m[0] ? implode("\n$name, ", $m[0]) : "$where: no report", "\n";
    }
}
?>
--EXPECT--
process, start: SIGTERM blocked no, ignored no, SIGTERM ends a child: yes
process, start: a child closed after the loop ran: exit status 7
process, managerStart: SIGTERM blocked no, ignored no, SIGTERM ends a child: yes
process, managerStart: a child closed after the loop ran: exit status 7
process, workerStart: SIGTERM blocked no, ignored no, SIGTERM ends a child: yes
process, workerStart: a child closed after the loop ran: exit status 7
base, start: SIGTERM blocked no, ignored no, SIGTERM ends a child: yes
base, start: a child closed after the loop ran: exit status 7
base, managerStart: SIGTERM blocked no, ignored no, SIGTERM ends a child: yes
base, managerStart: a child closed after the loop ran: exit status 7
base, workerStart: SIGTERM blocked no, ignored no, SIGTERM ends a child: yes
base, workerStart: a child closed after the loop ran: exit status 7
