--TEST--
Server faults: a worker that calls exit(1), dies of a fatal error or is SIGKILLed is replaced; its connections are closed, the other worker's are kept; workerError runs in the manager
--SKIPIF--
<?php
if (getenv('USE_ZEND_ALLOC') === '0') die('skip the fatal error comes from memory_limit, which needs the Zend memory manager (USE_ZEND_ALLOC=0)');
?>
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

const SCRIPT = <<<'PHP'
    function say(string $l): void { echo $l . "\n"; }
    $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
    $s->set(['worker_num' => 2, 'open_eof_split' => true, 'package_eof' => "\n"]);
    $s->on('workerStart', fn($s, $id) => say("READY {$s->ports[0]->port} $id " . getmypid()));
    $s->on('managerStart', fn($s) => say("manager " . getmypid()));
    $s->on('workerError', function ($s, $id, $pid, $code, $sig) {
        say("workerError $id $pid $code $sig in " . getmypid());
    });
    $s->on('receive', function ($s, $fd, $rid, $data) {
        switch (rtrim($data)) {
            case 'EXIT':
                exit(1);
            case 'FATAL':
                /* A real fatal error (E_ERROR), not an Error exception. */
                ini_set('memory_limit', '16M');
                $GLOBALS['big'] = str_repeat('x', 64 << 20);
                break;
            default:
                $s->send($fd, $s->worker_id . " " . getmypid() . "\n");
        }
    });
    $s->start();
PHP;

/* Asks a connection which worker serves it: [id, pid], or null. */
function who($c): ?array
{
    if (!$c || @fwrite($c, "WHO\n") === false) return null;
    $r = tide_read_until($c, "\n", 3);
    return preg_match('/^(\d) (\d+)\n$/', $r, $m) ? [(int) $m[1], (int) $m[2]] : null;
}

/* True when the peer closed (EOF or reset) within $timeout; false if it stays open. */
function peer_closed($c, float $timeout): bool
{
    $deadline = microtime(true) + $timeout;
    stream_set_timeout($c, 0, 100000);
    while (microtime(true) < $deadline) {
        $r = @fread($c, 65536);
        if (feof($c)) return true;
        if ($r === false && !stream_get_meta_data($c)['timed_out']) return true;
    }
    return false;
}

/* A connection served by worker $id (MODE_BASE: the kernel picks, so try a few). */
function conn_to(TideServerProc $srv, int $id)
{
    for ($i = 0; $i < 50; $i++) {
        $c = @stream_socket_client("tcp://127.0.0.1:{$srv->port}", $errno, $errstr, 2);
        if (!$c) continue;
        stream_set_timeout($c, 3);
        $w = who($c);
        if ($w && $w[0] === $id) return $c;
        fclose($c);
    }
    return null;
}

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(SCRIPT, $mode);
    $srv->waitReady(2);
    preg_match('/^manager (\d+)$/m', $srv->out(), $m);
    $manager = (int) $m[1];
    $keeper = conn_to($srv, 1);
    $keeperPid = $srv->workerPids[1];
    $errors = 0;
    foreach (['exit(1)' => '1 0', 'fatal error' => '255 0', 'SIGKILL' => '0 9'] as $fault => $want) {
        $victim = $srv->workerPids[0];
        $c = conn_to($srv, 0);
        if (!$keeper || !$c) {
            echo "$name $fault: cannot reach both workers\n";
            break;
        }
        $lines = count($srv->readyLines());
        $errs = substr_count($srv->out(), 'workerError');
        if ($fault === 'exit(1)') fwrite($c, "EXIT\n");
        if ($fault === 'fatal error') fwrite($c, "FATAL\n");
        if ($fault === 'SIGKILL') $srv->signal($victim, 'KILL');

        $closed = peer_closed($c, 5);
        $replaced = $srv->waitFor('READY ', $lines + 1, 5);
        $srv->readyLines();
        $newPid = $srv->workerPids[0];
        $other = who($keeper);
        $again = who(conn_to($srv, 0));
        $srv->waitFor('workerError', $errs + 1, 3);
        preg_match_all('/^workerError .*$/m', $srv->out(), $mm);
        $errLine = $mm[0][$errs] ?? '';
        $r = [
            'closed' => $closed,
            'replaced' => $replaced && $newPid !== $victim,
            'other connection kept' => $other === [1, $keeperPid],
            'replacement serves' => $again === [0, $newPid],
            'workerError' => $errLine === "workerError 0 $victim $want in $manager",
        ];
        echo "$name $fault:";
        foreach ($r as $k => $v) echo " $k=", var_export($v, true);
        echo "\n";
        if (in_array(false, $r, true)) {
            $errors++;
            echo "  got: $errLine\n";
        }
    }
    $status = $srv->stop();
    echo "$name: fatal error logged=", var_export(str_contains($srv->out() . $srv->err(), 'Allowed memory size of 16777216 bytes exhausted'), true),
        " status=$status\n";
    if ($errors) echo $srv->out(), $srv->err();
}
?>
--EXPECT--
process exit(1): closed=true replaced=true other connection kept=true replacement serves=true workerError=true
process fatal error: closed=true replaced=true other connection kept=true replacement serves=true workerError=true
process SIGKILL: closed=true replaced=true other connection kept=true replacement serves=true workerError=true
process: fatal error logged=true status=0
base exit(1): closed=true replaced=true other connection kept=true replacement serves=true workerError=true
base fatal error: closed=true replaced=true other connection kept=true replacement serves=true workerError=true
base SIGKILL: closed=true replaced=true other connection kept=true replacement serves=true workerError=true
base: fatal error logged=true status=0
