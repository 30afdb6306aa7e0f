--TEST--
Server lifecycle: daemonize with pid_file and log_file; the caller returns at once; SIGTERM to the pid in pid_file stops the daemon and removes the file
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

function alive(int $pid): bool
{
    $st = @file_get_contents("/proc/$pid/stat");
    return $st !== false && !preg_match('/\) [ZX] /', $st);
}

function wait_until(callable $cond, float $timeout): bool
{
    $deadline = microtime(true) + $timeout;
    do {
        if ($cond()) return true;
        usleep(10000);
    } while (microtime(true) < $deadline);
    return (bool) $cond();
}

foreach (TIDE_MODES as $mode => $name) {
    $dir = sys_get_temp_dir() . '/tide-life-daemon-' . getmypid() . '-' . bin2hex(random_bytes(3));
    mkdir($dir);
    $pidFile = "$dir/server.pid";
    $logFile = "$dir/server.log";
    file_put_contents("$dir/server.php", <<<PHP
    <?php
    \$s = new Tide\Server('127.0.0.1', 0, $mode);
    \$s->set(['worker_num' => 1, 'daemonize' => true, 'pid_file' => '$pidFile', 'log_file' => '$logFile']);
    \$s->on('start', function (\$s) { echo "start in " . getmypid() . "\\n"; });
    \$s->on('workerStart', function (\$s, \$id) { echo "READY {\$s->ports[0]->port} \$id " . getmypid() . "\\n"; });
    \$s->on('receive', function (\$s, \$fd, \$rid, \$data) {
        if (\$data === 'THROW') throw new RuntimeException('logged to the log file');
        \$s->send(\$fd, "echo:\$data");
    });
    \$s->on('shutdown', function (\$s) { echo "shutdown in " . getmypid() . "\\n"; });
    echo "before start in " . getmypid() . "\\n";
    \$r = \$s->start();
    echo "after start in " . getmypid() . ": " . var_export(\$r, true) . "\\n";
    PHP);

    $t0 = microtime(true);
    $r = tide_child_php(["$dir/server.php"], tide_child_env(), 10);
    $took = microtime(true) - $t0;
    $pid = wait_until(fn() => (int) @file_get_contents($pidFile) > 0, 5) ? (int) file_get_contents($pidFile) : 0;
    $ready = wait_until(fn() => preg_match('/^READY (\d+) 0 (\d+)$/m', (string) @file_get_contents($logFile)), 5);
    preg_match('/^READY (\d+) 0 (\d+)$/m', (string) @file_get_contents($logFile), $m);
    $tree = $pid ? TideServerProc::descendants($pid) : [];

    $reply = '';
    if ($ready) {
        $c = tide_connect((int) $m[1]);
        fwrite($c, "THROW");
        $c = tide_connect((int) $m[1]);
        fwrite($c, "hello");
        $reply = tide_read_until($c, "hello");
    }
    $pidAlive = $pid && alive($pid);
    if ($pid) exec("kill -TERM $pid");
    $stopped = $pid && wait_until(fn() => !alive($pid), 10);
    $removed = wait_until(function () use ($pidFile) { clearstatcache(); return !is_file($pidFile); }, 2);
    $log = (string) @file_get_contents($logFile);

    echo "$name: caller status=", $r['status'], " returned at once=", var_export(!$r['timed_out'] && $took < 5, true),
        " caller output=", json_encode(trim($r['stdout'] . $r['stderr'])), "\n";
    echo "$name: pid file=", var_export($pidAlive, true), " is the master=", var_export(str_contains($log, "start in $pid\n"), true),
        " ready=", var_export($ready, true), " reply=", json_encode($reply), "\n";
    echo "$name: stopped=", var_export($stopped, true), " pid file removed=", var_export($removed, true),
        " logged: exception=", var_export(str_contains($log, 'Uncaught RuntimeException: logged to the log file'), true),
        " shutdown=", var_export(str_contains($log, "shutdown in $pid\n"), true),
        " after start in the daemon=", var_export(str_contains($log, "after start in $pid: true\n"), true),
        " before start=", substr_count($log . $r['stdout'], 'before start'), "\n";
    if (!$stopped || !$ready) echo $log;
    foreach ([$pid, ...$tree] as $p) {
        if ($p && alive($p)) exec("kill -KILL $p");
    }
    foreach (glob("$dir/*") as $f) @unlink($f);
    @rmdir($dir);
}
?>
--EXPECTF--
process: caller status=0 returned at once=true caller output="before start in %d"
process: pid file=true is the master=true ready=true reply="echo:hello"
process: stopped=true pid file removed=true logged: exception=true shutdown=true after start in the daemon=true before start=1
base: caller status=0 returned at once=true caller output="before start in %d"
base: pid file=true is the master=true ready=true reply="echo:hello"
base: stopped=true pid file removed=true logged: exception=true shutdown=true after start in the daemon=true before start=1
