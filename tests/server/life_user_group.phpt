--TEST--
Server lifecycle: user/group settings make the workers run as that user and group (running as root); the master stays root
--SKIPIF--
<?php
if (getenv('USE_ZEND_ALLOC') === '0') die('skip valgrind cannot clean up its vgdb pipes once a worker drops to another user (USE_ZEND_ALLOC=0 marks a valgrind run)');
if (!is_readable('/proc/self/status') || !preg_match('/^Uid:\s+0\s/m', file_get_contents('/proc/self/status'))) die('skip needs root');
if (!preg_match('/^nobody:[^:]*:(\d+):(\d+):/m', (string) @file_get_contents('/etc/passwd'))) die('skip no user nobody');
?>
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

preg_match('/^nobody:[^:]*:(\d+):(\d+):/m', file_get_contents('/etc/passwd'), $pw);
$uid = (int) $pw[1];
$gid = (int) $pw[2];
preg_match("/^([^:]+):[^:]*:$gid:/m", file_get_contents('/etc/group'), $gr);
$group = $gr[1];

foreach (TIDE_MODES as $mode => $name) {
    foreach ([['user' => 'nobody'], ['user' => 'nobody', 'group' => $group]] as $set) {
        $srv = new TideServerProc(<<<'PHP'
            function ids(): string
            {
                /* Not /proc/self: PHP's realpath cache, inherited through fork, may still map it to the parent. */
                $st = file_get_contents('/proc/' . getmypid() . '/status');
                preg_match('/^Uid:\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)/m', $st, $u);
                preg_match('/^Gid:\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)/m', $st, $g);
                preg_match('/^Groups:(.*)$/m', $st, $gs);
                return "uid=" . implode(',', array_slice($u, 1)) . " gid=" . implode(',', array_slice($g, 1)) . " groups=" . trim($gs[1]);
            }
            $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
            $s->set(['worker_num' => 2] + json_decode(getenv('LIFE_SET'), true));
            $s->on('start', fn($s) => print("start " . ids() . "\n"));
            $s->on('workerStart', function ($s, $id) {
                echo "worker $id " . ids() . "\n";
                echo "READY {$s->ports[0]->port} $id " . getmypid() . "\n";
            });
            $s->on('receive', fn($s, $fd, $rid, $d) => $s->send($fd, ids()));
            $s->start();
        PHP, $mode, ['LIFE_SET' => json_encode($set)]);
        $ok = true;
        try {
            $srv->waitReady(2, 10);
        } catch (RuntimeException $e) {
            $ok = false;
        }
        $reply = '';
        if ($ok) {
            $c = tide_connect($srv->port);
            fwrite($c, "x");
            $reply = tide_read_until($c, "groups=", 5) . tide_read_n($c, 0, 0.2);
        }
        $out = $srv->out();
        $status = $srv->stop();
        $want = "uid=$uid,$uid,$uid,$uid gid=$gid,$gid,$gid,$gid groups=$gid";
        $workers = preg_match_all('/^worker \d (.*)$/m', $out, $m) ? array_unique($m[1]) : [];
        echo "$name ", json_encode($set), ": workers as nobody=", var_export($ok && $workers === [$want], true),
            " reply as nobody=", var_export(str_starts_with($reply, $want), true),
            " master as root=", var_export(str_contains($out, "start uid=0,0,0,0"), true), " status=$status\n";
        if (!$ok || $workers !== [$want]) echo "want $want\n", $out, $srv->err();
    }
}
?>
--EXPECT--
process {"user":"nobody"}: workers as nobody=true reply as nobody=true master as root=true status=0
process {"user":"nobody","group":"nogroup"}: workers as nobody=true reply as nobody=true master as root=true status=0
base {"user":"nobody"}: workers as nobody=true reply as nobody=true master as root=true status=0
base {"user":"nobody","group":"nogroup"}: workers as nobody=true reply as nobody=true master as root=true status=0
