--TEST--
With io_uring asked for explicitly but io_uring_setup refused, starting the event loop throws Tide\Exception naming the setting and the reason
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

$script = <<<'PHP'
try {
    Tide\run(function () { echo "fn ran\n"; });
    echo "no exception\n";
} catch (Tide\Exception $e) {
    echo get_class($e), ": ", $e->getMessage(), "\n";
}
try {
    Tide\Timer::after(10, function () { echo "timer fired\n"; });
    echo "no exception\n";
} catch (Tide\Exception $e) {
    echo get_class($e), ": ", $e->getMessage(), "\n";
}
PHP;
$noring = __DIR__ . '/../c/noring';

/* Through the ini setting, with TIDE_REACTOR absent from the child's environment. */
$r = tide_child_run([$noring, ...tide_child_argv(['-d', 'tide.reactor_backend=io_uring', '-r', $script])], tide_child_env());
echo $r['stdout'];
if ($r['status'] !== 0 || $r['stderr'] !== '') {
    tide_child_dump($r);
}

/* Through the environment. */
$r = tide_child_run([$noring, ...tide_child_argv(['-r', $script])], tide_child_env(['TIDE_REACTOR' => 'io_uring']));
echo $r['stdout'];
if ($r['status'] !== 0 || $r['stderr'] !== '') {
    tide_child_dump($r);
}
?>
--EXPECT--
Tide\Exception: Cannot start the event loop: tide.reactor_backend asks for io_uring, but io_uring_setup: Operation not permitted
Tide\Exception: Cannot start the event loop: tide.reactor_backend asks for io_uring, but io_uring_setup: Operation not permitted
Tide\Exception: Cannot start the event loop: TIDE_REACTOR asks for io_uring, but io_uring_setup: Operation not permitted
Tide\Exception: Cannot start the event loop: TIDE_REACTOR asks for io_uring, but io_uring_setup: Operation not permitted
