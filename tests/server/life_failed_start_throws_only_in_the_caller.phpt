--TEST--
Server lifecycle: a start() that fails (io_uring forced where seccomp refuses it, a user that does not exist) throws Tide\Exception to its caller in the process that called it, exits non-zero when uncaught, and never runs the caller's code in a forked process, in both modes
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
require __DIR__ . '/../inc/child.inc';

$noring = __DIR__ . '/../c/noring';
foreach ([Tide\MODE_PROCESS => 'process', Tide\MODE_BASE => 'base'] as $mode => $name) {
    foreach (['io_uring forced' => "'reactor_backend' => 'io_uring'",
              'no such user' => "'user' => 'no-such-user-" . getmypid() . "'"] as $case => $setting) {
        $script = <<<PHP
            \$s = new Tide\\Server('127.0.0.1', 0, $mode);
            \$s->set(['worker_num' => 2, $setting]);
            \$s->on('receive', fn() => 1);
            \$s->on('workerStart', fn() => print("a worker started\\n"));
            try {
                \$s->start();
                echo "start() returned in pid ", getmypid(), "\\n";
            } catch (Tide\\Exception \$e) {
                echo "caught in pid ", getmypid(), ": ", \$e->getMessage(), "\\n";
            }
            echo "after start in pid ", getmypid(), "\\n";
            \$s->start(); /* once more, uncaught */
        PHP;
        $r = tide_child_run([$noring, ...tide_child_argv(['-r', $script])], tide_child_env(), 20);
        $pids = [];
        preg_match_all('/in pid (\d+)/', $r['stdout'], $m);
        $caught = preg_match('/^caught in pid \d+: (.*)$/m', $r['stdout'], $c) ? $c[1] : 'NOT CAUGHT: ' . $r['stdout'];
        echo "$name, $case: ", preg_replace('/\d{3,}/', 'N', $caught), "\n";
        echo "  one process ran the caller's code: ", count(array_unique($m[1])) === 1 ? 'yes' : 'NO: ' . $r['stdout'], "\n";
        echo "  no worker started: ", str_contains($r['stdout'], 'a worker started') ? 'NO' : 'yes', "\n";
        echo "  uncaught: exit status ", $r['status'], ', ', str_contains($r['stderr'] . $r['stdout'], 'Uncaught Tide\Exception') ? 'Tide\Exception' : $r['stderr'], "\n";
    }
}
?>
--EXPECT--
process, io_uring forced: Cannot start the event loop: the server's reactor_backend asks for io_uring, but io_uring_setup: Operation not permitted
  one process ran the caller's code: yes
  no worker started: yes
  uncaught: exit status 255, Tide\Exception
process, no such user: Tide\Server::start(): user 'no-such-user-N' does not exist
  one process ran the caller's code: yes
  no worker started: yes
  uncaught: exit status 255, Tide\Exception
base, io_uring forced: Cannot start the event loop: the server's reactor_backend asks for io_uring, but io_uring_setup: Operation not permitted
  one process ran the caller's code: yes
  no worker started: yes
  uncaught: exit status 255, Tide\Exception
base, no such user: Tide\Server::start(): user 'no-such-user-N' does not exist
  one process ran the caller's code: yes
  no worker started: yes
  uncaught: exit status 255, Tide\Exception
