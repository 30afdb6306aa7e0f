--TEST--
tide.swoole_compat=On: Swoole\Process::signal(SIGCHLD) with Process::wait(false) in the handler reaps children; a process with enable_coroutine uses Co\ APIs; Co\run reads the pipe in a coroutine
--INI--
tide.swoole_compat=On
--FILE--
<?php
use Swoole\Process;
use Swoole\Coroutine;

$reaped = 0;
Process::signal(SIGCHLD, function ($sig) use (&$reaped) {
    while ($ret = Process::wait(false)) {
        echo "SIGCHLD: reaped, code {$ret['code']}\n";
        $reaped++;
    }
    if ($reaped === 2) {
        Process::signal(SIGCHLD, null);
        Swoole\Timer::clearAll();
    }
});
for ($i = 1; $i <= 2; $i++) {
    (new Process(function () use ($i) { exit($i); }))->start();
}
// a signal listener alone does not keep the loop (as in Swoole): a timer does, bounded
Swoole\Timer::after(10000, function () { echo "timed out\n"; });
Swoole\Event::wait();

$process = new Process(function (Process $proc) {
    Coroutine::sleep(0.01);
    go(function () use ($proc) {
        Coroutine::sleep(0.01);
        $proc->write("from a coroutine of the child " . Coroutine::getCid());
    });
}, false, 2, true); // SOCK_DGRAM
$process->start();
Co\run(function () use ($process) {
    $process->setTimeout(10);
    echo $process->read(), "\n";
    $ret = Process::wait();
    echo "code {$ret['code']}\n";
});
?>
--EXPECTF--
SIGCHLD: reaped, code %d
SIGCHLD: reaped, code %d
from a coroutine of the child %d
code 0
