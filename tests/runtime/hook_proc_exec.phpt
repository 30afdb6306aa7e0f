--TEST--
HOOK_PROC: exec(), system(), passthru(), shell_exec() (and backticks) read the command's output in the calling coroutine and proc_close() waits for the child there: 10 coroutines each running a 1 s command finish together (a serial run takes 10 s); results, printed output, exit codes and errors are the stock ones (the same script with the hook off and outside coroutines prints the same); a killed coroutine's command is killed and reaped
--FILE--
<?php
require __DIR__ . '/../inc/child.inc';
use function Tide\go;

/* Everything a program does with commands; returns what it saw. */
function commands(): string
{
    ob_start();
    $long = str_repeat('L', 20000);
    var_dump(exec("printf 'one\\ntwo  \\n\\nlast \\t\\n'", $lines, $code), $lines, $code);
    var_dump(exec("printf 'no newline at the end'"), exec('true'), exec('exit 3', $o2, $c2), $o2, $c2);
    var_dump(exec("printf '$long\\nshort'", $o3), array_map('strlen', $o3));
    $lines = ['kept'];
    exec('echo appended', $lines);
    var_dump($lines);
    echo "system:\n";
    var_dump(system("printf 'a\\nb  \\nc'", $c3), $c3);
    echo "\npassthru:\n";
    var_dump(passthru("printf 'raw\\001bytes\\n'", $c4), $c4);
    var_dump(shell_exec('echo hello; echo world'), shell_exec('true'), `printf back`);
    var_dump(shell_exec("printf '$long'") === $long);
    var_dump(exec('kill -TERM $$', $o5, $c5), $c5);   /* ended by a signal: the raw status */
    var_dump(exec('echo $TIDE_PROC_ENV'));
    foreach (['exec', 'system', 'passthru', 'shell_exec'] as $f) {
        try {
            $f('');
        } catch (ValueError $e) {
            echo get_class($e), ': ', $e->getMessage(), "\n";
        }
        try {
            $f("echo\0x");
        } catch (ValueError $e) {
            echo get_class($e), ': ', $e->getMessage(), "\n";
        }
    }
    try {
        exec([]);
    } catch (TypeError $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
    $p = proc_open('cat > /dev/null; exit 7', [0 => ['pipe', 'r']], $pipes);
    fwrite($pipes[0], 'input');
    var_dump(proc_close($p)); /* closes cat's stdin first, then waits */
    return ob_get_clean();
}

putenv('TIDE_PROC_ENV=from putenv');
$stock = commands();
Tide\run(function () use (&$hooked, &$off) {
    $hooked = commands();
    Tide\Runtime::setHookFlags(Tide\HOOK_ALL & ~Tide\HOOK_PROC);
    $off = commands();
    Tide\Runtime::setHookFlags(Tide\HOOK_ALL);
});
echo $stock;
echo "hooked, in a coroutine, the same: ", var_export($hooked === $stock, true), "\n";
echo "hook off, in a coroutine, the same: ", var_export($off === $stock, true), "\n";
if ($hooked !== $stock) {
    echo $hooked;
}

/* Together: each function, and proc_close()'s wait, suspend only their coroutine. */
foreach (['exec', 'shell_exec', 'system', 'proc_close'] as $f) {
    $got = [];
    $t = microtime(true);
    Tide\run(function () use ($f, &$got) {
        for ($i = 0; $i < 10; $i++) {
            go(function () use ($f, $i, &$got) {
                if ($f === 'proc_close') {
                    $p = proc_open("sleep 1; exit $i", [], $pipes);
                    $got[$i] = proc_close($p) === $i;
                    return;
                }
                ob_start();
                $r = $f("sleep 1; echo done $i");
                $printed = ob_get_clean();
                $got[$i] = trim($r) === "done $i" && ($f !== 'system' || $printed === "done $i\n");
            });
        }
    });
    $took = microtime(true) - $t;
    printf("10 x %s of a 1 s command: %d right, together (under 4 s, not 10): %s\n", $f,
           count(array_filter($got)), $took < 4.0 ? 'yes' : "no ($took s)");
}

/* A coroutine killed while its command runs: the command goes too. */
$pidfile = sys_get_temp_dir() . '/tide-proc-kill-' . getmypid();
$r = tide_child_run(tide_child_argv(['-r', '
    Tide\run(function () {
        Tide\go(function () { exec("echo \$\$ > ' . $pidfile . '; exec sleep 30"); echo "not here\n"; });
        Tide\go(function () {
            /* (file_get_contents: filesize() would keep the 0 of a file seen empty, as PHP
             * caches the last stat) */
            while (trim((string) @file_get_contents("' . $pidfile . '")) === "") { Tide\Coroutine::sleep(0.01); }
            echo "exiting\n";
            exit(0);
        });
    });
']), tide_child_env(), 20);
$pid = (int) file_get_contents($pidfile);
unlink($pidfile);
echo trim($r['stdout']), ", status ", $r['status'], "; its command had a pid: ", var_export($pid > 0, true), ", still running: ",
     var_export($pid > 0 && file_exists("/proc/$pid") && !str_contains((string) @file_get_contents("/proc/$pid/stat"), ') Z '), true), "\n";
?>
--EXPECTF--
string(4) "last"
array(4) {
  [0]=>
  string(3) "one"
  [1]=>
  string(3) "two"
  [2]=>
  string(0) ""
  [3]=>
  string(4) "last"
}
int(0)
string(21) "no newline at the end"
string(0) ""
string(0) ""
array(0) {
}
int(3)
string(5) "short"
array(2) {
  [0]=>
  int(20000)
  [1]=>
  int(5)
}
array(2) {
  [0]=>
  string(4) "kept"
  [1]=>
  string(8) "appended"
}
system:
a
b  
cstring(1) "c"
int(0)

passthru:
rawbytes
NULL
int(0)
string(12) "hello
world
"
NULL
string(4) "back"
bool(true)
string(0) ""
int(15)
string(11) "from putenv"
ValueError: exec(): Argument #1 ($command) %s empty
ValueError: exec(): Argument #1 ($command) must not contain any null bytes
ValueError: system(): Argument #1 ($command) %s empty
ValueError: system(): Argument #1 ($command) must not contain any null bytes
ValueError: passthru(): Argument #1 ($command) %s empty
ValueError: passthru(): Argument #1 ($command) must not contain any null bytes
ValueError: shell_exec(): Argument #1 ($command) %s empty
ValueError: shell_exec(): Argument #1 ($command) must not contain any null bytes
TypeError: exec(): Argument #1 ($command) must be of type string, array given
int(7)
hooked, in a coroutine, the same: true
hook off, in a coroutine, the same: true
10 x exec of a 1 s command: 10 right, together (under 4 s, not 10): yes
10 x shell_exec of a 1 s command: 10 right, together (under 4 s, not 10): yes
10 x system of a 1 s command: 10 right, together (under 4 s, not 10): yes
10 x proc_close of a 1 s command: 10 right, together (under 4 s, not 10): yes
exiting, status 0; its command had a pid: true, still running: false
