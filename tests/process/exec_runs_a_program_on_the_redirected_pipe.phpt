--TEST--
Tide\Process::exec() replaces the child with a program (its stdout the redirected pipe); a program that cannot run gives false with a warning
--EXTENSIONS--
tide
--SKIPIF--
<?php if (!is_executable('/bin/echo')) die('skip /bin/echo is not there'); ?>
--FILE--
<?php
require __DIR__ . '/process.inc';
use Tide\Process;

$p = new Process(function (Process $p) {
    $p->exec('/bin/echo', ['hello', 'from', 42]);
}, true);
tide_proc_track($p->start());
$p->setTimeout(10);
$out = '';
while (($chunk = $p->read()) !== '' && $chunk !== false) {
    $out .= $chunk;
}
var_dump($out);
var_dump(Process::wait()['code']);

$q = new Process(function (Process $p) {
    $r = @$p->exec('/nonexistent/program', []);
    $p->write(var_export($r, true) . ' ' . error_get_last()['message']);
});
tide_proc_track($q->start());
$q->setTimeout(10);
echo $q->read(), "\n";
Process::wait();
?>
--EXPECT--
string(14) "hello from 42
"
int(0)
false Tide\Process::exec(): execv(/nonexistent/program) failed: No such file or directory
