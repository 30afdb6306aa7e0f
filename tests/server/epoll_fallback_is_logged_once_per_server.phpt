--TEST--
Server: where io_uring is refused, the epoll fallback is logged in one line for the whole server (not once per process), and every process serves on epoll, in both modes
--EXTENSIONS--
tide
--SKIPIF--
<?php
$noring = __DIR__ . '/../c/noring';
if (!is_executable($noring)) die('skip tests/c/noring not built (make -C tests/c noring)');
exec(escapeshellarg($noring) . ' true 2>&1', $out, $rc);
if ($rc !== 0) die('skip tests/c/noring cannot install its seccomp filter here: ' . implode(' ', $out));
?>
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 3]);
        $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
        $s->on('receive', fn($s, $fd, $r, $d) => $s->send($fd, "echo:$d"));
        $s->start();
    PHP, $mode, ['TIDE_REACTOR' => null], [], [__DIR__ . '/../c/noring']);
    $srv->waitReady(3);
    $c = tide_connect($srv->port);
    fwrite($c, 'hi');
    $reply = tide_read_until($c, 'hi', 3);
    $srv->stop();
    echo "$name: fallback lines: ", substr_count($srv->err(), 'io_uring unavailable'), ', served: ', $reply === 'echo:hi' ? 'yes' : json_encode($reply), "\n";
}
?>
--EXPECT--
process: fallback lines: 1, served: yes
base: fallback lines: 1, served: yes
