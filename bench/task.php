<?php
/*
 * Task workers against the floor of their IPC (issue 11):
 *   php bench/task.php [process|base]          (after ./dev build; wrk for the HTTP rows)
 *
 * - The floor: two PHP processes bouncing a message over a Unix stream socket (4-byte
 *   length, then the bytes; blocking fwrite/fread), 1 KiB and 1 MiB: round trips per second.
 * - Tide: taskwait() round trips of the same sizes, one after the other, from one worker to
 *   two task workers that echo the data (so both carry the payload both ways).
 * - taskCo() fan-outs of 100 tasks of 1 KiB: fan-outs and tasks per second.
 * - HTTP: wrk -c64 against a handler that does one taskwait() per request, and against the
 *   same server's plain hello.
 * Medians of 3 runs each; ratios to the floor.
 */
$mode = $argv[1] ?? 'process';
$root = dirname(__DIR__);
$ext = "$root/modules/tide.so";
$php = PHP_BINARY;

function free_port(): int
{
    $s = stream_socket_server('tcp://127.0.0.1:0');
    $port = (int) explode(':', stream_socket_get_name($s, false))[1];
    fclose($s);
    return $port;
}

function median(array $v): float
{
    sort($v);
    return $v[intdiv(count($v), 2)];
}

function read_exact($c, int $n): string
{
    $buf = '';
    while (strlen($buf) < $n) {
        $d = fread($c, $n - strlen($buf));
        if ($d === '' || $d === false) {
            throw new RuntimeException('peer gone');
        }
        $buf .= $d;
    }
    return $buf;
}

/* ---- the floor ---- */
function floor_rate(string $php, int $size, int $n): float
{
    $path = sys_get_temp_dir() . '/tide-bench-floor-' . getmypid() . '.sock';
    @unlink($path);
    $srv = stream_socket_server("unix://$path");
    $echo = '$c = stream_socket_client("unix://' . $path . '"); stream_set_write_buffer($c, 0);'
          . 'while (($h = fread($c, 4)) !== "" && $h !== false) { $n = unpack("N", $h)[1]; $b = "";'
          . 'while (strlen($b) < $n) $b .= fread($c, $n - strlen($b)); fwrite($c, $h . $b); }';
    $p = proc_open([$php, '-n', '-r', $echo], [], $pipes);
    $c = stream_socket_accept($srv, 5);
    stream_set_write_buffer($c, 0);
    $data = str_repeat('x', $size);
    $msg = pack('N', $size) . $data;
    $t = microtime(true);
    for ($i = 0; $i < $n; $i++) {
        fwrite($c, $msg);
        read_exact($c, 4);
        read_exact($c, $size);
    }
    $rate = $n / (microtime(true) - $t);
    fclose($c);
    proc_close($p);
    @unlink($path);
    return $rate;
}

/* ---- Tide ---- */
$port = free_port();
$http = free_port();
$out = tempnam(sys_get_temp_dir(), 'tide-bench-task');
$server = proc_open([$php, '-n', '-d', "extension=$ext", "$root/bench/task_server.php", $mode, $port, $http],
                    [1 => ['file', $out, 'w'], 2 => ['file', $out, 'a']], $pipes);
for ($i = 0; $i < 100 && !str_contains((string) file_get_contents($out), 'READY'); $i++) {
    usleep(100000);
}
$c = stream_socket_client("tcp://127.0.0.1:$port", $e, $es, 5);
stream_set_timeout($c, 120);
$ask = function (string $cmd) use ($c): float {
    fwrite($c, "$cmd\n");
    $r = trim((string) fgets($c));
    if (!is_numeric($r)) {
        throw new RuntimeException("$cmd: $r");
    }
    return (float) $r;
};

$rows = [];
foreach ([[1024, 20000, '1 KiB'], [1 << 20, 300, '1 MiB']] as [$size, $n, $label]) {
    $ask("rtt 100 $size"); /* warm-up */
    $floor = $tide = [];
    for ($round = 0; $round < 3; $round++) {
        $floor[] = floor_rate($php, $size, $n);
        $tide[] = $n / $ask("rtt $n $size");
    }
    $rows[] = [$label, median($floor), median($tide)];
}
printf("== %s, %s\n", $mode === 'base' ? 'MODE_BASE' : 'MODE_PROCESS', date('Y-m-d H:i'));
printf("| payload | Unix-socket ping-pong, round trips/s | taskwait() round trips/s | ratio |\n|---|---|---|---|\n");
foreach ($rows as [$label, $f, $t]) {
    printf("| %s | %.0f | %.0f | %.2f× |\n", $label, $f, $t, $t / $f);
}
$co = [];
for ($round = 0; $round < 3; $round++) {
    $co[] = 200 / $ask('co 200');
}
printf("\ntaskCo() fan-out of 100 tasks of 1 KiB: %.0f fan-outs/s (%.0f tasks/s)\n", median($co), 100 * median($co));

if (is_executable('/usr/bin/wrk')) {
    foreach (['/task' => 'one taskwait() per request', '/' => 'hello, no task'] as $path => $what) {
        $rps = [];
        for ($round = 0; $round < 3; $round++) {
            $o = shell_exec("wrk -t1 -c64 -d5s http://127.0.0.1:$http$path 2>&1");
            preg_match('/Requests\/sec:\s+([\d.]+)/', (string) $o, $m);
            $rps[] = (float) ($m[1] ?? 0);
        }
        printf("HTTP wrk -c64, %s: %.0f requests/s\n", $what, median($rps));
    }
}
proc_terminate($server);
proc_close($server);
@unlink($out);
