--TEST--
Tide\Process with redirect_stdin_and_stdout: what the child echoes (and writes to STDERR) arrives on the parent's read(), and what the parent writes is the child's stdin
--EXTENSIONS--
tide
--FILE--
<?php
require __DIR__ . '/process.inc';
use Tide\Process;

$p = new Process(function (Process $p) {
    $line = fgets(STDIN);
    echo "child got: ", $line;
    fwrite(STDERR, "on stderr\n");
}, true);
tide_proc_track($p->start());
$p->setTimeout(10);
$p->write("hello\n");
$out = '';
while (($chunk = $p->read()) !== '' && $chunk !== false) {
    $out .= $chunk;
}
echo $out;
var_dump(Process::wait()['code']);
?>
--EXPECT--
child got: hello
on stderr
int(0)
