--TEST--
Tide\Process: start() forks, the child runs the callback and exits with 0, exit()'s status, Process::exit()'s, 255 after an uncaught exception; wait() reports each, and the signal that killed one
--EXTENSIONS--
tide
--INI--
display_errors=0
--FILE--
<?php
require __DIR__ . '/process.inc';
use Tide\Process;

$cases = [
    'returns' => function (Process $p) {},
    'exit(7)' => function (Process $p) { exit(7); },
    'Process::exit(5)' => function (Process $p) { $p->exit(5); echo "not reached\n"; },
    'throws' => function (Process $p) { throw new RuntimeException("boom"); },
    'killed' => function (Process $p) { $p->read(); }, // waits until the parent kills it
];
$parent = getmypid();
foreach ($cases as $name => $fn) {
    $p = new Process($fn);
    try {
        $pid = tide_proc_track($p->start());
    } finally {
        // the child never gets here: it ends as exit() ends a script
        if (getmypid() !== $parent) { echo "child escaped start()\n"; }
    }
    if ($name === 'killed') {
        Process::kill($pid, SIGKILL);
    }
    $r = Process::wait();
    printf("%s: pid %s, code %d, signal %d\n", $name, $r['pid'] === $pid ? 'ok' : 'wrong', $r['code'], $r['signal']);
}
var_dump(Process::wait(false), Process::wait());

// a process object starts again once its child is gone
$p = new Process(function (Process $p) { $p->write("run " . $p->id); });
$first = tide_proc_track($p->start());
echo $p->read(), "\n";
Process::wait();
$second = tide_proc_track($p->start());
echo $p->read(), " again, new pid: ", $second !== $first ? 'yes' : 'no', "\n";
Process::wait();
?>
--EXPECT--
returns: pid ok, code 0, signal 0
exit(7): pid ok, code 7, signal 0
Process::exit(5): pid ok, code 5, signal 0
throws: pid ok, code 255, signal 0
killed: pid ok, code 0, signal 9
bool(false)
bool(false)
run 6
run 6 again, new pid: yes
