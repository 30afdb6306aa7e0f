--TEST--
Runtime hooks, HOOK_PROC (proc_open's pipes): 10 coroutines each reading a child's output that comes after 1 s finish together (not in 10 s); a coroutine writing 1 MiB into cat's stdin while another reads cat's stdout does not deadlock (the writer waits while the pipe is full) and the bytes come back intact; a non-blocking pipe and the hook off are stock PHP
--FILE--
<?php
use function Tide\go;

$out = [];
$t = microtime(true);
Tide\run(function () use (&$out) {
    for ($i = 0; $i < 10; $i++) {
        go(function () use ($i, &$out) {
            $p = proc_open(['sh', '-c', "sleep 1; echo done $i"], [1 => ['pipe', 'w']], $pipes);
            $out[$i] = trim(stream_get_contents($pipes[1]));
            fclose($pipes[1]);
            proc_close($p);
        });
    }
});
ksort($out);
$took = microtime(true) - $t;
echo "10 children answering after 1 s: ", count(array_filter($out, fn($l, $i) => $l === "done $i", ARRAY_FILTER_USE_BOTH)),
    " answered, together (well under 10 s): ", var_export($took < 2.0, true), "\n";

$data = random_bytes(1 << 20);
$back = '';
Tide\run(function () use ($data, &$back) {
    $p = proc_open(['cat'], [0 => ['pipe', 'r'], 1 => ['pipe', 'w']], $pipes);
    go(function () use ($pipes, $data) {
        $written = fwrite($pipes[0], $data);
        fclose($pipes[0]);
        echo "fwrite of 1 MiB into cat: $written bytes\n";
    });
    while (!feof($pipes[1])) {
        $back .= fread($pipes[1], 65536);
    }
    proc_close($p);
});
echo "cat gave it back intact: ", var_export($back === $data, true), "\n";

Tide\run(function () {
    $p = proc_open(['sh', '-c', 'sleep 0.2; echo late'], [1 => ['pipe', 'w']], $pipes);
    stream_set_blocking($pipes[1], false);
    echo "non-blocking pipe, nothing yet: ", var_export(fread($pipes[1], 100), true), "\n";
    stream_set_blocking($pipes[1], true);
    echo "then blocking: ", trim(fgets($pipes[1])), "\n";
    proc_close($p);
});

Tide\Runtime::setHookFlags(Tide\HOOK_ALL & ~Tide\HOOK_PROC);
$t = microtime(true);
Tide\run(function () {
    for ($i = 0; $i < 2; $i++) {
        go(function () {
            $p = proc_open(['sh', '-c', 'sleep 0.3; echo x'], [1 => ['pipe', 'w']], $pipes);
            stream_get_contents($pipes[1]);
            proc_close($p);
        });
    }
});
echo "HOOK_PROC off: two children of 0.3 s take ", microtime(true) - $t >= 0.6 ? 'their sum' : 'less', "\n";
?>
--EXPECT--
10 children answering after 1 s: 10 answered, together (well under 10 s): true
fwrite of 1 MiB into cat: 1048576 bytes
cat gave it back intact: true
non-blocking pipe, nothing yet: ''
then blocking: late
HOOK_PROC off: two children of 0.3 s take their sum
