--TEST--
When io_uring_setup is refused (seccomp, EPERM) the event loop falls back to epoll, logs one line saying why, and phpinfo() reports the reason
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
Tide\run(function () {
    Tide\Timer::after(20, function (string $s) { echo "timer fired: $s\n"; }, 'ok');
});
Tide\run(function () {
    Tide\Timer::after(5, function () { echo "second run fired\n"; });
});
ob_start();
phpinfo(INFO_MODULES);
preg_match('/^Reactor backend => .*$/m', ob_get_clean(), $m);
echo $m[0], "\n";
PHP;
/* TIDE_REACTOR is left out of the child's environment: auto is what is tested. */
$r = tide_child_run([__DIR__ . '/../c/noring', ...tide_child_argv(['-r', $script])], tide_child_env());
var_dump($r['status']);
echo $r['stdout'];
echo "stderr:\n", $r['stderr'];
?>
--EXPECT--
int(0)
timer fired: ok
second run fired
Reactor backend => epoll (io_uring unavailable: io_uring_setup: Operation not permitted)
stderr:
[tide] io_uring unavailable (io_uring_setup: Operation not permitted); using epoll
