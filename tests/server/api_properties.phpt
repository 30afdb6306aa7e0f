--TEST--
Server: master_pid, manager_pid, worker_id, worker_pid, taskworker, setting, mode and getWorkerId/getWorkerPid/getMasterPid/getManagerPid in each process, both modes
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

$s = new Tide\Server('127.0.0.1', 0, Tide\MODE_BASE);
echo "before start: ", json_encode([$s->master_pid, $s->manager_pid, $s->worker_id, $s->worker_pid, $s->taskworker,
    $s->setting, $s->mode, $s->getWorkerId(), $s->getWorkerPid(), $s->getWorkerPid(0), $s->getMasterPid(), $s->getManagerPid()]), "\n";
$s->set(['worker_num' => 3, 'max_request' => 7]);
$s->set(['max_request' => 8]);
echo "setting after set(): ", json_encode($s->setting), "\n";
unset($s);

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        function ppid(): int
        {
            /* Not /proc/self: PHP's realpath cache would keep the parent's link across fork(). */
            $st = file_get_contents('/proc/' . getmypid() . '/stat');
            return (int) explode(' ', substr($st, strrpos($st, ')') + 2))[1];
        }
        function facts($s, string $where): void
        {
            echo "FACTS $where " . json_encode([
                'pid' => getmypid(), 'ppid' => ppid(),
                'master_pid' => $s->master_pid, 'manager_pid' => $s->manager_pid, 'worker_id' => $s->worker_id,
                'worker_pid' => $s->worker_pid, 'taskworker' => $s->taskworker, 'mode' => $s->mode,
                'worker_num' => $s->setting['worker_num'] ?? null,
                'getWorkerId' => $s->getWorkerId(), 'getWorkerPid' => $s->getWorkerPid(),
                'pid0' => $s->getWorkerPid(0), 'pid1' => $s->getWorkerPid(1), 'pid2' => $s->getWorkerPid(2),
                'getMasterPid' => $s->getMasterPid(), 'getManagerPid' => $s->getManagerPid(),
            ]) . "\n";
        }
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 2]);
        $s->on('start', fn($s) => facts($s, 'start'));
        $s->on('managerStart', fn($s) => facts($s, 'managerStart'));
        $s->on('workerStart', function ($s, $id) {
            facts($s, "worker$id");
            echo "READY {$s->ports[0]->port} {$s->worker_id} " . getmypid() . "\n";
        });
        $s->on('receive', function ($s, $fd, $rid, $data) {
            facts($s, 'receive');
            $s->send($fd, "ok\n");
        });
        $s->start();
        facts($s, 'after');
    PHP, $mode);
    $srv->waitReady(2);
    $c = tide_connect($srv->port);
    fwrite($c, "x\n");
    tide_read_until($c, "ok\n");
    $srv->waitFor('FACTS receive');
    $srv->stop();
    preg_match_all('/^FACTS (\S+) (.*)$/m', $srv->out(), $m, PREG_SET_ORDER);
    $f = [];
    foreach ($m as $l) $f[$l[1]] = json_decode($l[2], true);
    $master = $srv->pid;
    $w0 = $f['worker0'] ?? [];
    $w1 = $f['worker1'] ?? [];
    $manager = $mode === Tide\MODE_BASE ? $master : ($f['managerStart']['pid'] ?? -1);
    $order = ['start', 'managerStart', 'worker0', 'worker1', 'receive', 'after'];
    echo "$name: seen in ", implode(',', array_intersect($order, array_keys($f))), count($f) > 6 ? ' and more' : '', "\n";
    foreach ($order as $where) {
        $x = $f[$where] ?? null;
        if (!$x) continue;
        $checks = [
            'master_pid' => $x['master_pid'] === $master && $x['getMasterPid'] === $master,
            'manager_pid' => $x['manager_pid'] === $manager && $x['getManagerPid'] === $manager,
            'mode' => $x['mode'] === $mode,
            'setting' => $x['worker_num'] === 2,
            'taskworker' => $x['taskworker'] === false,
        ];
        /* Every worker is up when a request is served; none is left after start() returns. */
        if ($where === 'receive') {
            $checks['pids of workers'] = $x['pid0'] === ($w0['pid'] ?? 0) && $x['pid1'] === ($w1['pid'] ?? 0) && $x['pid2'] === false;
        } elseif ($where === 'after') {
            $checks['no worker pids'] = $x['pid0'] === false && $x['pid1'] === false && $x['pid2'] === false;
        }
        if (str_starts_with($where, 'worker') || $where === 'receive') {
            $checks['worker_id'] = $x['worker_id'] === $x['getWorkerId'] && in_array($x['worker_id'], [0, 1], true)
                && ($where === 'receive' || $where === 'worker' . $x['worker_id']);
            $checks['worker_pid'] = $x['worker_pid'] === $x['pid'] && $x['getWorkerPid'] === $x['pid'];
            $checks['parent is the manager'] = $x['ppid'] === $manager;
        } else {
            $checks['not a worker'] = $x['worker_id'] === -1 && $x['getWorkerId'] === false && $x['getWorkerPid'] === false
                && $x['worker_pid'] === 0;
            $checks['process'] = $x['pid'] === ($where === 'managerStart' ? $manager : $master);
        }
        $bad = array_keys(array_filter($checks, fn($ok) => !$ok));
        echo "$name: $where: ", $bad ? 'WRONG ' . implode(', ', $bad) . ' ' . json_encode($x) : 'ok', "\n";
    }
    echo "$name: master != manager: ", var_export($master !== $manager, true), ", workers distinct: ",
        var_export(($w0['pid'] ?? 0) !== ($w1['pid'] ?? 0) && !in_array($w0['pid'] ?? 0, [$master, $manager], true), true), "\n";
}
?>
--EXPECT--
before start: [0,0,-1,0,false,[],1,false,false,false,0,0]
setting after set(): {"worker_num":3,"max_request":8}
process: seen in start,managerStart,worker0,worker1,receive,after
process: start: ok
process: managerStart: ok
process: worker0: ok
process: worker1: ok
process: receive: ok
process: after: ok
process: master != manager: true, workers distinct: true
base: seen in start,managerStart,worker0,worker1,receive,after
base: start: ok
base: managerStart: ok
base: worker0: ok
base: worker1: ok
base: receive: ok
base: after: ok
base: master != manager: false, workers distinct: true
