--TEST--
tide.swoole_compat=On: a Swoole\Process program (pipe read with swoole_event_add on $process->pipe, redirected stdout, Process::wait, Process::PIPE_* constants) runs unchanged
--INI--
tide.swoole_compat=On
--FILE--
<?php
use Swoole\Process;

var_dump(Process::PIPE_MASTER, Process::PIPE_WORKER, Process::PIPE_READ, Process::PIPE_WRITE, Process::IPC_NOWAIT);

$workers = [];
for ($i = 0; $i < 3; $i++) {
    $process = new Process(function (Process $worker) {
        $msg = $worker->read();
        $worker->write("worker {$worker->id} got: $msg");
    });
    $pid = $process->start();
    $workers[$pid] = $process;
}

$answers = [];
foreach ($workers as $pid => $process) {
    $process->write("hello {$process->id}");
    swoole_event_add($process->pipe, function ($pipe) use ($process, &$answers) {
        $answers[] = $process->read();
        swoole_event_del($pipe);
    });
}
Swoole\Event::wait();
sort($answers);
echo implode("\n", $answers), "\n";

for ($n = count($workers); $n > 0; $n--) {
    $ret = Process::wait(true);
    echo isset($workers[$ret['pid']]) ? "reaped a worker, code {$ret['code']}\n" : "?\n";
}

// the child's stdout is the pipe
$echo = new Process(function (Process $worker) {
    echo "printed by the child\n";
}, true);
$echo->start();
echo "parent read: ", $echo->read();
Process::wait();
?>
--EXPECT--
int(1)
int(2)
int(3)
int(4)
int(256)
worker 1 got: hello 1
worker 2 got: hello 2
worker 3 got: hello 3
reaped a worker, code 0
reaped a worker, code 0
reaped a worker, code 0
parent read: printed by the child
