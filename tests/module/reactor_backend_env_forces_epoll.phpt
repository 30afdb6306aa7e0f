--TEST--
TIDE_REACTOR=epoll makes the event loop use epoll, over tide.reactor_backend, and --ri says it was forced by TIDE_REACTOR
--EXTENSIONS--
tide
--FILE--
<?php
require __DIR__ . '/../inc/child.inc';

$env = tide_child_env(['TIDE_REACTOR' => 'epoll']);

$r = tide_child_php(['--ri', 'tide'], $env);
if (preg_match('/^Reactor backend => .*$/m', $r['stdout'], $m)) {
    echo $m[0], "\n";
} else {
    tide_child_dump($r);
}

/* The environment wins over the ini setting, and the loop works on epoll. */
$script = <<<'PHP'
Tide\run(function () {
    Tide\Timer::after(20, function () { echo "timer fired\n"; });
});
ob_start();
phpinfo(INFO_MODULES);
preg_match('/^Reactor backend => .*$/m', ob_get_clean(), $m);
echo $m[0], "\n";
PHP;
$r = tide_child_php(['-d', 'tide.reactor_backend=io_uring', '-r', $script], $env);
echo $r['stdout'];
if ($r['status'] !== 0 || $r['stderr'] !== '') {
    tide_child_dump($r);
}
?>
--EXPECT--
Reactor backend => epoll (forced by TIDE_REACTOR)
timer fired
Reactor backend => epoll (forced by TIDE_REACTOR)
