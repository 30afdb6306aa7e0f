--TEST--
Tide\Process::name() sets the process title (as ps shows it) in the child
--EXTENSIONS--
tide
--SKIPIF--
<?php if (!function_exists('cli_set_process_title')) die('skip needs the CLI SAPI'); ?>
--FILE--
<?php
require __DIR__ . '/process.inc';
use Tide\Process;

$p = new Process(function (Process $p) {
    $ok = $p->name("tide-test-worker");
    $p->write(var_export($ok, true));
    $p->read(); // until the parent has looked
});
$pid = tide_proc_track($p->start());
$p->setTimeout(10);
echo $p->read(), "\n";
echo trim(str_replace("\0", " ", file_get_contents("/proc/$pid/cmdline"))), "\n";
$p->write("done");
Process::wait();
?>
--EXPECT--
true
tide-test-worker
