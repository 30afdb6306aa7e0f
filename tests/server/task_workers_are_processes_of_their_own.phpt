--TEST--
Server: task_worker_num starts task workers (ids worker_num and up, taskworker true, workerStart in each, no connections), reachable by sendMessage() both ways and able to send() to a client; reload(true) replaces only them, a killed one is replaced, stop(id) works on them, stats() counts them; a worker id past them is a ValueError; in both modes
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 2, 'task_worker_num' => 2, 'open_eof_split' => true,
                 'package_eof' => "\n", 'dispatch_mode' => 2, 'log_level' => 4]);
        $s->on('workerStart', function ($s, $id) {
            /* One write per line: lines of several processes must not interleave. */
            echo "START $id " . var_export($s->taskworker, true) . ' ' . var_export($s->worker_id === $id, true) . "\n";
            tide_test_ready($s);
        });
        $s->on('receive', function ($s, $fd, $rid, $data) {
            $cmd = explode(' ', trim($data));
            switch ($cmd[0]) {
            case 'ask': /* a task worker answers this client itself */
                $s->sendMessage(['fd' => $fd, 'from' => $s->worker_id], (int) $cmd[1]);
                break;
            case 'pids':
                $pids = array_map(fn($i) => $s->getWorkerPid($i), range(0, 3));
                $st = $s->stats();
                $s->send($fd, json_encode(['pids' => $pids, 'task_worker_num' => $st['task_worker_num'],
                                           'worker_num' => $st['worker_num']]) . "\n");
                break;
            case 'reload':
                $s->send($fd, var_export($s->reload(true), true) . "\n");
                break;
            case 'stop':
                $s->send($fd, var_export($s->stop((int) $cmd[1]), true) . "\n");
                break;
            case 'bad':
                try {
                    $s->sendMessage('x', 4);
                } catch (ValueError $e) {
                    $s->send($fd, $e->getMessage() . "\n");
                }
                break;
            }
        });
        $s->on('task', fn() => null); /* (a server with task workers needs one) */
        $s->on('pipeMessage', function ($s, $src, $msg) {
            if ($s->taskworker) {
                /* Back to the worker that asked, which answers the client. */
                $s->sendMessage($msg + ['task' => $s->worker_id, 'src' => $src], $msg['from']);
                $s->send($msg['fd'], "task worker {$s->worker_id} sent to the client directly\n");
            } else {
                $s->send($msg['fd'], "worker {$s->worker_id} heard from task worker {$msg['task']} (src $src)\n");
            }
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(4);
    $starts = [];
    preg_match_all('/^START (\d) (true|false) (true|false)$/m', $srv->out(), $m, PREG_SET_ORDER);
    foreach ($m as $l) {
        $starts[(int) $l[1]] = "$l[2]/$l[3]";
    }
    ksort($starts);
    echo "$name: workerStart (taskworker/worker_id): ", implode(' ', array_map(fn($k, $v) => "$k:$v", array_keys($starts), $starts)), "\n";
    $c = tide_connect($srv->port);
    foreach ([2, 3] as $t) {
        fwrite($c, "ask $t\n");
        $got = [trim((string) fgets($c)), trim((string) fgets($c))];
        sort($got);
        echo "$name: ask $t: ", preg_replace('/worker [01] heard/', 'worker W heard', implode(' | ', $got)), "\n";
    }
    fwrite($c, "pids\n");
    $p = json_decode((string) fgets($c), true);
    $pids = $srv->workerPids;
    ksort($pids);
    echo "$name: pids as READY said: ", var_export($p['pids'] === array_values($pids), true),
        ", stats: worker_num {$p['worker_num']}, task_worker_num {$p['task_worker_num']}\n";
    echo "$name: processes: ", count(array_unique($p['pids'])), " distinct\n";

    fwrite($c, "reload\n");
    echo "$name: reload(true): ", trim((string) fgets($c)), "\n";
    $srv->waitReady(6);
    $after = $srv->workerPids;
    echo "$name: after reload(true): workers kept their pids: ", var_export($after[0] === $pids[0] && $after[1] === $pids[1], true),
        ", task workers are new: ", var_export($after[2] !== $pids[2] && $after[3] !== $pids[3], true), "\n";

    $srv->signal($after[3], 'KILL');
    $srv->waitReady(7);
    echo "$name: a killed task worker is replaced: ", var_export($srv->workerPids[3] !== $after[3], true), "\n";
    fwrite($c, "stop 2\n");
    echo "$name: stop(2): ", trim((string) fgets($c)), "\n";
    $srv->waitReady(8);
    echo "$name: task worker 2 restarted: ", var_export($srv->workerPids[2] !== $after[2], true), "\n";
    fwrite($c, "ask 3\n");
    $got = [trim((string) fgets($c)), trim((string) fgets($c))];
    echo "$name: the new task worker 3 answers: ", count(preg_grep('/task worker 3/', $got)) === 2 ? 'yes' : json_encode($got), "\n";
    fwrite($c, "bad\n");
    echo "$name: ", trim((string) fgets($c)), "\n";
    $srv->stop();
    echo "$name: log: ", preg_match('/task worker #3 \(pid \d+\) was killed by signal 9/', $srv->err() . $srv->out()) ? 'names the task worker' : $srv->err(), "\n";
}
?>
--EXPECT--
process: workerStart (taskworker/worker_id): 0:false/true 1:false/true 2:true/true 3:true/true
process: ask 2: task worker 2 sent to the client directly | worker W heard from task worker 2 (src 2)
process: ask 3: task worker 3 sent to the client directly | worker W heard from task worker 3 (src 3)
process: pids as READY said: true, stats: worker_num 2, task_worker_num 2
process: processes: 4 distinct
process: reload(true): true
process: after reload(true): workers kept their pids: true, task workers are new: true
process: a killed task worker is replaced: true
process: stop(2): true
process: task worker 2 restarted: true
process: the new task worker 3 answers: yes
process: Tide\Server::sendMessage(): Argument #2 ($dstWorkerId) must be a worker id between 0 and 3 (task workers included)
process: log: names the task worker
base: workerStart (taskworker/worker_id): 0:false/true 1:false/true 2:true/true 3:true/true
base: ask 2: task worker 2 sent to the client directly | worker W heard from task worker 2 (src 2)
base: ask 3: task worker 3 sent to the client directly | worker W heard from task worker 3 (src 3)
base: pids as READY said: true, stats: worker_num 2, task_worker_num 2
base: processes: 4 distinct
base: reload(true): true
base: after reload(true): workers kept their pids: true, task workers are new: true
base: a killed task worker is replaced: true
base: stop(2): true
base: task worker 2 restarted: true
base: the new task worker 3 answers: yes
base: Tide\Server::sendMessage(): Argument #2 ($dstWorkerId) must be a worker id between 0 and 3 (task workers included)
base: log: names the task worker
