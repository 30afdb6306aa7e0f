--TEST--
Tide\Server::addProcess(): the added processes run beside the workers (one with coroutines), a worker's $process->write() reaches the process, a killed one is started again, and all stop with the server, in both modes; wrong usage
--EXTENSIONS--
tide
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

/* Wrong usage, without starting a server. */
$s = new Tide\Server('127.0.0.1', 0);
$started = new Tide\Process(fn() => 0);
$started->start();
Tide\Process::wait();
try {
    $s->addProcess($started);
} catch (ValueError $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
try {
    $s->addProcess(new stdClass);
} catch (TypeError $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
var_dump($s->addProcess(new Tide\Process(fn() => 0)), $s->addProcess(new Tide\Process(fn() => 0)));
unset($s);

const SCRIPT = <<<'PHP'
    function say(string $l): void { echo $l . "\n"; }
    $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
    $s->set(['worker_num' => 1, 'open_eof_split' => true, 'package_eof' => "\n"]);
    /* Reads what the workers write, and says so. */
    $p = new Tide\Process(function (Tide\Process $p) use ($s) {
        say("PROC " . getmypid() . " " . $p->pid);
        while (($m = $p->read()) !== '' && $m !== false) {
            say("GOT $m " . getmypid());
        }
    });
    /* With enable_coroutine: runs in a coroutine, its SIGTERM callback says it stops. */
    $q = new Tide\Process(function (Tide\Process $q) {
        Tide\Process::signal(15 /* SIGTERM */, function () {
            say("CORO-TERM " . getmypid());
            exit(0);
        });
        say("CORO " . getmypid() . " cid " . Tide\Coroutine::getCid());
        $q->read();
    }, false, 2, true);
    say("ids " . $s->addProcess($p) . " " . $s->addProcess($q));
    $s->on('workerStart', function ($s, $id) use ($p) {
        try {
            $s->addProcess(new Tide\Process(fn() => 0));
        } catch (Tide\Exception $e) {
            say(get_class($e) . ': ' . $e->getMessage());
        }
        $p->write("hello from worker $id");
        tide_test_ready($s);
    });
    $s->on('receive', function ($s, $fd, $rid, $data) use ($p) {
        $p->write(rtrim($data));
        $s->send($fd, "sent\n");
    });
    var_dump($s->start());
    try {
        $s->addProcess(new Tide\Process(fn() => 0));
    } catch (Tide\Exception $e) {
        say(get_class($e) . ': ' . $e->getMessage());
    }
PHP;

function pid_of(TideServerProc $srv, string $tag, int $nth = 1): int
{
    if (!$srv->waitFor("$tag ", $nth, 10)) {
        return 0;
    }
    preg_match_all("/^$tag (\\d+)/m", $srv->out(), $m);
    return (int) $m[1][$nth - 1];
}

foreach (TIDE_MODES as $mode => $name) {
    echo "-- $name\n";
    $srv = new TideServerProc(SCRIPT, $mode);
    $srv->waitReady(1);
    $proc = pid_of($srv, 'PROC');
    $coro = pid_of($srv, 'CORO');
    $tree = TideServerProc::descendants($srv->pid);
    var_dump(in_array($proc, $tree, true), in_array($coro, $tree, true),
             !in_array($proc, $srv->workerPids, true));
    var_dump($srv->waitFor("GOT hello from worker 0 $proc"));
    var_dump(str_contains($srv->out(), "CORO $coro cid ") && !str_contains($srv->out(), "CORO $coro cid -1"));

    /* Killed: started again (after the backoff: it had lived under a second). */
    $srv->signal($proc, 'KILL');
    $again = pid_of($srv, 'PROC', 2);
    var_dump($again > 0 && $again !== $proc);
    $c = tide_connect($srv->port);
    fwrite($c, "after the restart\n");
    var_dump(tide_read_until($c, "\n"));
    var_dump($srv->waitFor("GOT after the restart $again"));

    /* Stopped with the server: SIGTERM to the master, nothing left after. */
    $srv->signal($srv->pid, 'TERM');
    $deadline = microtime(true) + 10;
    while ($srv->running() && microtime(true) < $deadline) {
        usleep(10000);
    }
    var_dump($srv->running());
    foreach ([$again, $coro, ...$tree] as $pid) {
        if (is_dir("/proc/$pid")) {
            echo "left: $pid\n";
        }
    }
    var_dump($srv->waitFor("CORO-TERM $coro"));
    $out = $srv->out();
    echo preg_match('/^ids (.*)$/m', $out, $m) ? "ids $m[1]\n" : "no ids\n";
    echo preg_match('/^(Tide\\\\Exception: .*)$/m', $out, $m) ? "$m[1]\n" : "no exception in the worker\n";
    echo preg_match('/bool\(true\)\n(Tide\\\\Exception: .*)$/m', $out, $m) ? "after: $m[1]\n" : "no exception after\n";
    var_dump(str_contains($out, "PROC $proc $proc\n"));
    /* The manager logs the kill and the backoff; nothing else goes wrong. */
    foreach (explode("\n", trim($srv->err())) as $l) {
        echo preg_replace(['/^\[.*? pid \d+\] /', '/pid \d+/'], ['', 'pid N'], $l), "\n";
    }
    var_dump(str_contains($out, 'Fatal') || str_contains($out, 'Warning'));
    var_dump($srv->stop());
}
?>
--EXPECTF--
ValueError: Tide\Server::addProcess(): Argument #1 ($process) must be a process that was not started
TypeError: Tide\Server::addProcess(): Argument #1 ($process) must be of type Tide\Process, stdClass given
int(0)
int(1)
-- process
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
string(5) "sent
"
bool(true)
bool(false)
bool(true)
ids 0 1
Tide\Exception: Tide\Server::addProcess() cannot be called after start()
after: Tide\Exception: Tide\Server::addProcess() cannot be called after start()
bool(true)
WARNING process #0 (pid N) was killed by signal 9; starting a new one
ERROR process #0 died within a second of starting; retrying in 1 s
bool(false)
int(0)
-- base
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
string(5) "sent
"
bool(true)
bool(false)
bool(true)
ids 0 1
Tide\Exception: Tide\Server::addProcess() cannot be called after start()
after: Tide\Exception: Tide\Server::addProcess() cannot be called after start()
bool(true)
WARNING process #0 (pid N) was killed by signal 9; starting a new one
ERROR process #0 died within a second of starting; retrying in 1 s
bool(false)
int(0)
