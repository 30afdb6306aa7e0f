--TEST--
Runtime hooks, HOOK_TCP and HOOK_UNIX: stream_socket_client, fwrite and fgets against a server that answers each line after 0.3 s run concurrently in 10 coroutines (about 0.3 s, not 3 s), over TCP and a Unix socket; stream_socket_server + stream_socket_accept in one coroutine while others connect in the same process; a read timeout (stream_set_timeout) gives an empty read and timed_out while other coroutines run; a refused connect fails as stock PHP does; a second coroutine reading a socket another waits on gets a Tide\Exception naming both; a canceled read returns false and leaves the stream usable; stream_socket_pair() streams are hooked too; with the hooks off the calls block again
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
use Tide\Coroutine;
use function Tide\go;

$sock = sys_get_temp_dir() . '/tide-hook-' . getmypid() . '.sock';
@unlink($sock);
$srv = new TideServerProc(<<<'PHP'
    $s = new Tide\Server('127.0.0.1', 0, Tide\MODE_BASE);
    $s->set(['worker_num' => 1, 'open_eof_split' => true, 'package_eof' => "\n", 'log_level' => 4]);
    $u = $s->listen(getenv('SOCK'), 0, Tide\SOCK_UNIX_STREAM);
    $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
    $s->on('receive', function ($s, $fd, $rid, $line) {
        if (trim($line) === 'silent') {
            return;
        }
        Tide\Coroutine::sleep(0.3);
        $s->send($fd, strtoupper($line));
    });
    $s->start();
PHP, Tide\MODE_BASE, ['SOCK' => $sock]);
$srv->waitReady(1);
$port = $srv->port;

function timed(callable $fn): float
{
    $t = microtime(true);
    Tide\run($fn);
    return microtime(true) - $t;
}

foreach (["tcp://127.0.0.1:$port" => 'tcp', "unix://$sock" => 'unix'] as $addr => $name) {
    $ok = 0;
    $t = timed(function () use ($addr, &$ok) {
        for ($i = 0; $i < 10; $i++) {
            go(function () use ($addr, $i, &$ok) {
                $c = stream_socket_client($addr, $errno, $errstr, 2);
                fwrite($c, "ping $i\n");
                $ok += fgets($c) === "PING $i\n";
                fclose($c);
            });
        }
    });
    echo "$name: 10 clients, each answered after 0.3 s: $ok answered, ", $t < 1.5 ? 'concurrently' : "in $t s", "\n";
}

/* A server and its clients in one process. */
$got = [];
Tide\run(function () use (&$got) {
    $server = stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr);
    $addr = stream_socket_get_name($server, false);
    go(function () use ($server, &$got) {
        for ($i = 0; $i < 3; $i++) {
            $c = stream_socket_accept($server, 2);
            go(function () use ($c) {
                $line = fgets($c);
                fwrite($c, "echo: $line");
                fclose($c);
            });
        }
    });
    for ($i = 0; $i < 3; $i++) {
        go(function () use ($addr, $i, &$got) {
            $c = stream_socket_client("tcp://$addr", $errno, $errstr, 2);
            fwrite($c, "hello $i\n");
            $got[$i] = trim((string) fgets($c));
        });
    }
});
ksort($got);
echo "accept in a coroutine, clients in others: ", json_encode($got), "\n";

/* A read timeout, while another coroutine runs. */
Tide\run(function () use ($port) {
    $ticks = 0;
    go(function () use (&$ticks) {
        for ($i = 0; $i < 5; $i++) {
            Coroutine::sleep(0.02);
            $ticks++;
        }
    });
    $c = stream_socket_client("tcp://127.0.0.1:$port", $errno, $errstr, 2);
    stream_set_timeout($c, 0, 300000);
    fwrite($c, "silent\n");
    $t = microtime(true);
    $r = fread($c, 100);
    $took = microtime(true) - $t;
    echo "read timeout: fread gave ", var_export($r, true), ", timed_out ", var_export(stream_get_meta_data($c)['timed_out'], true),
        ", after about 0.3 s: ", var_export($took >= 0.25 && $took < 1.5, true), ", the other coroutine ran meanwhile: ", var_export($ticks === 5, true), "\n";
});

/* A refused connection: as stock PHP. */
$probe = stream_socket_server('tcp://127.0.0.1:0');
$closed = stream_socket_get_name($probe, false);
fclose($probe);
$stock = @stream_socket_client("tcp://$closed", $e1, $s1, 1);
$hooked = null;
Tide\run(function () use ($closed, &$hooked, &$e2, &$s2) {
    $hooked = @stream_socket_client("tcp://$closed", $e2, $s2, 1);
});
echo "refused: stock ", var_export($stock, true), " $e1 $s1; hooked ", var_export($hooked, true), " $e2 $s2\n";

/* Two coroutines reading one socket; a canceled read. */
Tide\run(function () use ($port) {
    $c = stream_socket_client("tcp://127.0.0.1:$port", $errno, $errstr, 2);
    $first = go(function () use ($c) {
        $r = fread($c, 100);
        echo "the canceled read returned ", var_export($r, true), "\n";
    });
    go(function () use ($c, $first) {
        try {
            fread($c, 100);
        } catch (Tide\Exception $e) {
            echo preg_replace(['/#\d+/', '/coroutine #\S+/'], ['#N', 'coroutine #N'], $e->getMessage()), "\n";
            echo "names both: ", var_export(str_contains($e->getMessage(), "coroutine #$first is waiting"), true), "\n";
        }
    });
    Coroutine::sleep(0.05);
    Coroutine::cancel($first);
    Coroutine::sleep(0.01);
    fwrite($c, "after cancel\n");
    echo "the stream is still usable: ", trim((string) fgets($c)), "\n";
});

/* stream_socket_pair(): its streams are hooked too. */
Tide\run(function () {
    [$a, $b] = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, STREAM_IPPROTO_IP);
    $ticks = 0;
    go(function () use (&$ticks) {
        for ($i = 0; $i < 5; $i++) {
            Coroutine::sleep(0.02);
            $ticks++;
        }
    });
    go(function () use ($b) {
        Coroutine::sleep(0.2);
        fwrite($b, "late\n");
    });
    $line = fgets($a);
    echo "stream_socket_pair: read '", trim($line), "', the other coroutines ran meanwhile: ", var_export($ticks === 5, true), "\n";
});

/* Hooks off: blocking again. */
Tide\Runtime::setHookFlags(Tide\HOOK_ALL & ~Tide\HOOK_TCP);
$t = timed(function () use ($port) {
    for ($i = 0; $i < 3; $i++) {
        go(function () use ($port, $i) {
            $c = stream_socket_client("tcp://127.0.0.1:$port", $errno, $errstr, 2);
            fwrite($c, "x\n");
            fgets($c);
        });
    }
});
echo "HOOK_TCP off: 3 clients take ", $t >= 0.85 ? 'their sum' : "$t s", "\n";
$srv->stop();
@unlink($sock);
?>
--EXPECT--
tcp: 10 clients, each answered after 0.3 s: 10 answered, concurrently
unix: 10 clients, each answered after 0.3 s: 10 answered, concurrently
accept in a coroutine, clients in others: ["echo: hello 0","echo: hello 1","echo: hello 2"]
read timeout: fread gave '', timed_out true, after about 0.3 s: true, the other coroutine ran meanwhile: true
refused: stock false 111 Connection refused; hooked false 111 Connection refused
fread(): coroutine #N cannot wait on socket #N: coroutine #N is waiting on it (one coroutine at a time reads or writes a socket)
names both: true
the canceled read returned false
the stream is still usable: AFTER CANCEL
stream_socket_pair: read 'late', the other coroutines ran meanwhile: true
HOOK_TCP off: 3 clients take their sum
