--TEST--
php --ri tide shows the version, the reactor backend with its reason, and the liburing version (the only library Tide links)
--EXTENSIONS--
tide
--FILE--
<?php
require __DIR__ . '/../inc/child.inc';

/* The child inherits TIDE_REACTOR, so this also runs with the backend the suite was given. */
$r = tide_child_php(['--ri', 'tide'], tide_child_env(['TIDE_REACTOR' => getenv('TIDE_REACTOR') ?: null]));
if ($r['status'] !== 0 || $r['stderr'] !== '') {
    tide_child_dump($r);
}
echo ltrim($r['stdout']);

preg_match('/^Version => (.*)$/m', $r['stdout'], $m);
var_dump(($m[1] ?? null) === phpversion('tide'));
preg_match('/^Reactor backend => (\S+) \(/m', $r['stdout'], $m);
var_dump(in_array($m[1] ?? null, ['io_uring', 'epoll'], true));
?>
--EXPECTF--
tide

Tide support => enabled
Version => %d.%d.%d%S
Reactor backend => %s (%s)
liburing => %d.%d%S

Directive => Local Value => Master Value
tide.reactor_backend => auto => auto
tide.swoole_compat => Off => Off
bool(true)
bool(true)
