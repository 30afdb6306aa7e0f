--TEST--
Server lifecycle: start/shutdown (master), managerStart/managerStop (manager), workerStart/workerStop (each worker), order, start() returns once
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        /* One write per line: the processes share stdout. */
        function ev(string $what): void { echo "EV $what " . getmypid() . "\n"; }
        function ready(Tide\Server $s): void { echo "READY {$s->ports[0]->port} {$s->worker_id} " . getmypid() . "\n"; }
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 2]);
        $s->on('start', function ($s) {
            ev("start master_pid=" . $s->master_pid . " manager_pid=" . $s->manager_pid
               . " getMasterPid=" . $s->getMasterPid() . " getManagerPid=" . $s->getManagerPid());
        });
        $s->on('shutdown', fn($s) => ev('shutdown'));
        $s->on('managerStart', fn($s) => ev('managerStart manager_pid=' . $s->manager_pid));
        $s->on('managerStop', fn($s) => ev('managerStop'));
        $s->on('workerStart', function ($s, $id) {
            ev("workerStart $id worker_id=" . $s->worker_id . " worker_pid=" . $s->worker_pid
               . " getWorkerId=" . var_export($s->getWorkerId(), true));
            ready($s);
        });
        $s->on('workerStop', fn($s, $id) => ev("workerStop $id worker_id=" . $s->worker_id));
        $s->on('receive', fn($s, $fd, $r, $d) => $s->send($fd, $d));
        $r = $s->start();
        ev('after start returned ' . var_export($r, true));
    PHP, $mode);
    $srv->waitReady(2);
    $master = $srv->pid;
    $workers = $srv->workerPids;
    /* The server serves while it runs. */
    $c = tide_connect($srv->port);
    fwrite($c, "ping");
    $echo = tide_read_until($c, "ping");
    fclose($c);
    $status = $srv->stop();
    $ok = true;
    $fail = function (string $why) use (&$ok, $name) { $ok = false; echo "$name: FAIL $why\n"; };

    preg_match_all('/^EV (.*) (\d+)$/m', $srv->out(), $m, PREG_SET_ORDER);
    $events = [];
    foreach ($m as $i => $l) {
        $events[] = ['what' => $l[1], 'pid' => (int) $l[2], 'pos' => $i];
    }
    $find = fn(string $prefix) => array_values(array_filter($events, fn($e) => str_starts_with($e['what'], $prefix)));

    if ($echo !== 'ping') $fail("echo: " . json_encode($echo));
    if ($status !== 0) $fail("status $status");
    if (count($workers) !== 2 || count(array_unique($workers)) !== 2) $fail('worker pids ' . json_encode($workers));

    $start = $find('start ');
    if (count($start) !== 1 || $start[0]['pid'] !== $master) $fail('start not once in the master: ' . json_encode($start));
    $ms = $find('managerStart');
    $manager = $ms[0]['pid'] ?? -1;
    if (count($ms) !== 1) $fail('managerStart ' . count($ms) . ' times');
    if ($mode === Tide\MODE_PROCESS && ($manager === $master || in_array($manager, $workers, true)))
        $fail("manager pid $manager is the master's or a worker's");
    if ($mode === Tide\MODE_BASE && $manager !== $master) $fail("MODE_BASE manager $manager is not the master $master");
    if ($ms && $ms[0]['what'] !== "managerStart manager_pid=$manager") $fail('managerStart: ' . $ms[0]['what']);
    if ($start && $start[0]['what'] !== "start master_pid=$master manager_pid=$manager getMasterPid=$master getManagerPid=$manager")
        $fail('start: ' . $start[0]['what']);

    foreach ([0, 1] as $id) {
        $pid = $workers[$id] ?? -1;
        $ws = $find("workerStart $id ");
        $wt = $find("workerStop $id ");
        if (count($ws) !== 1 || $ws[0]['pid'] !== $pid || $ws[0]['what'] !== "workerStart $id worker_id=$id worker_pid=$pid getWorkerId=$id")
            $fail("workerStart $id: " . json_encode($ws));
        if (count($wt) !== 1 || $wt[0]['pid'] !== $pid || $wt[0]['what'] !== "workerStop $id worker_id=$id")
            $fail("workerStop $id: " . json_encode($wt));
        if ($ms && $ws && $ws[0]['pos'] < $ms[0]['pos']) $fail("workerStart $id before managerStart");
        if ($ws && $wt && $wt[0]['pos'] < $ws[0]['pos']) $fail("workerStop $id before its workerStart");
    }
    $mt = $find('managerStop');
    if (count($mt) !== 1 || $mt[0]['pid'] !== $manager) $fail('managerStop: ' . json_encode($mt));
    foreach ($find('workerStop') as $w)
        if ($mt && $w['pos'] > $mt[0]['pos']) $fail('a workerStop after managerStop');
    $sd = $find('shutdown');
    if (count($sd) !== 1 || $sd[0]['pid'] !== $master) $fail('shutdown not once in the master: ' . json_encode($sd));
    if ($sd && $mt && $sd[0]['pos'] < $mt[0]['pos']) $fail('shutdown before managerStop');
    $after = $find('after start');
    if (count($after) !== 1 || $after[0]['pid'] !== $master || $after[0]['what'] !== 'after start returned true')
        $fail('code after start(): ' . json_encode($after));
    if ($after && $sd && $after[0]['pos'] < $sd[0]['pos']) $fail('start() returned before shutdown');
    if ($after && $after[0]['pos'] !== count($events) - 1) $fail('events after start() returned');
    echo "$name: ", $ok ? "ok" : "see above", ", ", count($events), " events\n";
    if (!$ok) echo $srv->out(), $srv->err();
}
?>
--EXPECT--
process: ok, 9 events
base: ok, 9 events
