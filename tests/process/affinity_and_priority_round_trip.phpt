--TEST--
Tide\Process: setAffinity()/getAffinity() and setPriority()/getPriority() round trip (in a child, so the test runner is left alone)
--EXTENSIONS--
tide
--FILE--
<?php
require __DIR__ . '/process.inc';
use Tide\Process;

$p = new Process(function (Process $p) {
    $cpus = Process::getAffinity();
    $out = [];
    $out[] = "affinity is a list of CPUs: " . (count($cpus) > 0 && $cpus === array_values(array_filter($cpus, 'is_int')) ? "yes" : "no");
    $out[] = "set to the first: " . var_export(Process::setAffinity([$cpus[0]]), true);
    $out[] = "get: " . (Process::getAffinity() === [$cpus[0]] ? "the first" : "?");
    $before = $p->getPriority(PRIO_PROCESS);
    $out[] = "set priority +1: " . var_export($p->setPriority(PRIO_PROCESS, $before + 1), true);
    $out[] = "get: " . ($p->getPriority(PRIO_PROCESS) === $before + 1 ? "+1" : "?");
    $out[] = "by pid: " . ($p->getPriority(PRIO_PROCESS, getmypid()) === $before + 1 ? "+1" : "?");
    $p->write(implode("\n", $out));
});
tide_proc_track($p->start());
$p->setTimeout(10);
echo $p->read(), "\n";
Process::wait();
// from the parent, $who defaults to the child's pid: gone now
var_dump($p->getPriority(PRIO_PROCESS));
?>
--EXPECT--
affinity is a list of CPUs: yes
set to the first: true
get: the first
set priority +1: true
get: +1
by pid: +1
bool(false)
