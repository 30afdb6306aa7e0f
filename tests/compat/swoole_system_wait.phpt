--TEST--
tide.swoole_compat=On, written as a Swoole user writes it: Co\System::wait() reaps any child in the coroutine (false at its timeout, and with no child), Co\System::waitSignal() returns the signal that came (one of a set), false at its timeout, and a warning and false for a signal another watch has (Swoole\Process::signal()); other coroutines run meanwhile
--SKIPIF--
<?php if (!function_exists('pcntl_fork')) die('skip pcntl_fork() is not available (ext/pcntl)'); ?>
--INI--
tide.swoole_compat=On
--FILE--
<?php
use Swoole\Coroutine\System;

Co\run(function () {
    var_dump(System::wait(0.1));                    // no child
    $pid = pcntl_fork();
    if ($pid === 0) {
        usleep(300000);                             // a forked coroutine's hooks are stock: blocks the child
        exit(5);
    }
    $ticks = 0;
    go(function () use (&$ticks) { while ($ticks < 5) { Co::sleep(0.01); $ticks++; } });
    var_dump(System::wait(0.05));                   // still running: timed out
    $st = System::wait(5);
    var_dump($st['pid'] === $pid, $st['code'], $st['signal'], $ticks === 5);

    go(function () { Co::sleep(0.02); Swoole\Process::kill(getmypid(), SIGUSR2); });
    var_dump(System::waitSignal([SIGUSR1, SIGUSR2], 5) === SIGUSR2);
    var_dump(System::waitSignal(SIGUSR1, 0.05));    // none came
    Swoole\Process::signal(SIGUSR1, function () {});
    var_dump(System::waitSignal(SIGUSR1, 0.05));
    Swoole\Process::signal(SIGUSR1, null);
    try { System::waitSignal(SIGKILL); } catch (ValueError $e) { echo $e->getMessage(), "\n"; }
});
?>
--EXPECTF--
bool(false)
bool(false)
bool(true)
int(5)
int(0)
bool(true)
bool(true)
bool(false)

Warning: Swoole\Coroutine\System::waitSignal(): cannot wait for signal %d: another watch has it (Tide\Process::signal()?) in %s on line %d
bool(false)
Swoole\Coroutine\System::waitSignal(): Argument #1 ($signals) must hold signal numbers from 1 to 64, not SIGKILL or SIGSTOP (9 given)
