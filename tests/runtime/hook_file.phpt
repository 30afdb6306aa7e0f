--TEST--
HOOK_FILE: plain-file reads, writes and syncs wait on the reactor in the calling coroutine (other coroutines run between the pieces of a long read); every result, notice and file position is the stock one (the same script with the hook off and outside coroutines prints the same); two coroutines on one file stream get a Tide\Exception naming both; include stays synchronous
--FILE--
<?php
use Tide\Coroutine;
use function Tide\go;

$dir = sys_get_temp_dir() . '/tide-file-' . getmypid();
@mkdir($dir);

/* Everything a program does with plain files; returns what it saw. */
function files_script(string $dir): string
{
    ob_start();
    $data = '';
    for ($i = 0; $i < 100000; $i++) {
        $data .= sprintf("%07d\n", $i);
    }
    var_dump(file_put_contents("$dir/a", $data));
    var_dump(md5(file_get_contents("$dir/a")) === md5($data));
    var_dump(file_get_contents("$dir/a", false, null, 16, 24));
    var_dump(file_get_contents("$dir/a", false, null, -8));
    var_dump(file_put_contents("$dir/a", "tail\n", FILE_APPEND), filesize("$dir/a"));
    $f = fopen("$dir/a", 'r+');
    var_dump(fgets($f), ftell($f), fread($f, 5), ftell($f));
    fseek($f, 3, SEEK_CUR);
    var_dump(fwrite($f, 'XYZ'), ftell($f));
    var_dump(fsync($f), fdatasync($f), fflush($f));
    rewind($f);
    var_dump(fread($f, 24));
    fseek($f, -5, SEEK_END);
    var_dump(fread($f, 100), feof($f), fread($f, 100), feof($f));
    var_dump(ftruncate($f, 16), fstat($f)['size']);
    rewind($f);
    var_dump(stream_get_contents($f));
    fclose($f);
    $w = fopen("$dir/b", 'w');
    var_dump(fwrite($w, str_repeat('w', 3 << 20)), ftell($w));
    var_dump(fread($w, 10));  /* opened for writing only: PHP's notice, false */
    fclose($w);
    $a = fopen("$dir/b", 'a');
    fwrite($a, "end\n");
    var_dump(ftell($a));
    fclose($a);
    var_dump(filesize("$dir/b"), substr(file_get_contents("$dir/b"), -6));
    var_dump(file("$dir/a", FILE_IGNORE_NEW_LINES));
    $spl = new SplFileObject("$dir/a");
    var_dump($spl->fgets());
    var_dump(@file_get_contents("$dir/missing"), error_get_last()['message']);
    $x = fopen("$dir/x", 'x');
    var_dump(@fopen("$dir/x", 'x'));
    fclose($x);
    unlink("$dir/x");
    file_put_contents("$dir/inc.php", '<?php return 6 * 7;');
    var_dump(include "$dir/inc.php");
    return ob_get_clean();
}

$stock = files_script($dir);
Tide\run(function () use ($dir, &$hooked, &$off) {
    $hooked = files_script($dir);
    Tide\Runtime::setHookFlags(Tide\HOOK_ALL & ~Tide\HOOK_FILE);
    $off = files_script($dir);
    Tide\Runtime::setHookFlags(Tide\HOOK_ALL);
});
echo $stock;
echo "hooked, in a coroutine, the same: ", var_export($hooked === $stock, true), "\n";
echo "hook off, in a coroutine, the same: ", var_export($off === $stock, true), "\n";
if ($hooked !== $stock) {
    echo $hooked;
}

/* Other coroutines run while one reads a file piece by piece; not with the hook off. */
file_put_contents("$dir/big", str_repeat('x', 4 << 20));
foreach ([Tide\HOOK_ALL, Tide\HOOK_ALL & ~Tide\HOOK_FILE] as $flags) {
    Tide\run(function () use ($dir, $flags) {
        Tide\Runtime::setHookFlags($flags);
        $reading = true;
        $ticks = 0;
        go(function () use (&$reading, &$ticks) {
            while ($reading) {
                $ticks++;
                Coroutine::sleep(0);
            }
        });
        Coroutine::sleep(0); /* the ticker is waiting now */
        $start = $ticks;
        $f = fopen("$dir/big", 'r');
        $n = 0;
        while (!feof($f)) {
            $n += strlen(fread($f, 8192));
        }
        fclose($f);
        $during = $ticks - $start;
        $reading = false;
        printf("hook %s: read %d bytes; the other coroutine ran during the read: %s\n",
               $flags & Tide\HOOK_FILE ? 'on' : 'off', $n, $during > 10 ? 'yes' : ($during === 0 ? 'no' : "$during times"));
        Tide\Runtime::setHookFlags(Tide\HOOK_ALL);
    });
}

/* One coroutine at a time on a file stream. */
Tide\run(function () use ($dir) {
    $f = fopen("$dir/big", 'r');
    go(function () use ($f) {
        while (!feof($f)) {
            fread($f, 1 << 20);
        }
    });
    try {
        fread($f, 10);
        echo "no exception\n";
    } catch (Tide\Exception $e) {
        echo preg_replace('/#\d+/', '#N', $e->getMessage()), "\n";
    }
});

array_map('unlink', glob("$dir/*"));
rmdir($dir);
?>
--EXPECTF--
int(800000)
bool(true)
string(24) "0000002
0000003
0000004
"
string(8) "0099999
"
int(5)
int(800005)
string(8) "0000000
"
int(8)
string(5) "00000"
int(13)
int(3)
int(19)
bool(true)
bool(true)
bool(true)
string(24) "0000000
0000001
XYZ0002
"
string(5) "tail
"
bool(true)
string(0) ""
bool(true)
bool(true)
int(16)
string(16) "0000000
0000001
"
int(3145728)
int(3145728)

Notice: fread(): Read of 8192 bytes failed with errno=9 Bad file descriptor in %s on line %d
bool(false)
int(4)
int(3145732)
string(6) "wwend
"
array(2) {
  [0]=>
  string(7) "0000000"
  [1]=>
  string(7) "0000001"
}
string(8) "0000000
"
bool(false)
string(%d) "file_get_contents(%s/missing): Failed to open stream: No such file or directory"
bool(false)
int(42)
hooked, in a coroutine, the same: true
hook off, in a coroutine, the same: true
hook on: read 4194304 bytes; the other coroutine ran during the read: yes
hook off: read 4194304 bytes; the other coroutine ran during the read: no
fread(): coroutine #N cannot use file stream #N: coroutine #N is waiting on it (one coroutine at a time reads or writes a file stream)
