--TEST--
Tide\Process: wrong usage throws TypeError, ValueError or Tide\Exception naming the culprit
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Process;

function check(callable $fn) {
    try {
        $fn();
        echo "no exception\n";
    } catch (Throwable $e) {
        echo get_class($e), ": ", $e->getMessage(), "\n";
    }
}
check(fn() => new Process('no_such_function'));
check(fn() => new Process(function () {}, false, 3));
$p = new Process(function () {});
check(fn() => $p->__construct(function () {}));
check(fn() => $p->read(0));
check(fn() => $p->read(2 << 20));
check(fn() => $p->write(''));
check(fn() => $p->close(9));
check(fn() => $p->exit(1));
check(fn() => $p->exec('', []));
check(fn() => $p->set(['worker_num' => 2]));
check(fn() => $p->getPriority(PRIO_PGRP));
$n = new Process(function () {}, false, 0);
check(fn() => $n->read());
check(fn() => $n->write('x'));
check(fn() => Process::signal(SIGKILL, function () {}));
check(fn() => Process::signal(0, function () {}));
check(fn() => Process::signal(SIGUSR1, 'no_such_function'));
check(fn() => Process::kill(1, 99));
check(fn() => Process::alarm(-1));
check(fn() => Process::alarm(1000, 7));
check(fn() => Process::setAffinity([]));
check(fn() => Process::setAffinity([-1]));
check(fn() => Process::setAffinity(['0']));
class Sub extends Process { public function __construct() {} }
check(fn() => (new Sub)->start());
check(fn() => Tide\run(function () {
    (new Process(function () {}, false, 2, true))->start();
}));
check(fn() => Tide\run(fn() => Process::daemon()));
?>
--EXPECT--
TypeError: Tide\Process::__construct(): Argument #1 ($callback) must be a valid callback, function "no_such_function" not found or invalid function name
ValueError: Tide\Process::__construct(): Argument #3 ($pipe_type) must be 0 (no pipe), 1 (SOCK_STREAM) or 2 (SOCK_DGRAM)
Tide\Exception: Tide\Process::__construct() can only be called once
ValueError: Tide\Process::read(): Argument #1 ($size) must be between 1 and 1048576
ValueError: Tide\Process::read(): Argument #1 ($size) must be between 1 and 1048576
ValueError: Tide\Process::write(): Argument #1 ($data) must not be empty
ValueError: Tide\Process::close(): Argument #1 ($which) must be 0 (both ends), Tide\Process::PIPE_MASTER, PIPE_WORKER, PIPE_READ or PIPE_WRITE
Tide\Exception: Tide\Process::exit() can only be called in the process it started
ValueError: Tide\Process::exec(): Argument #1 ($exec_file) must not be empty
ValueError: Tide\Process::set(): Argument #1 ($settings) has an unknown setting 'worker_num' (only enable_coroutine)
ValueError: Tide\Process::getPriority(): Argument #2 ($who) must not be null unless $which is PRIO_PROCESS
Tide\Exception: Tide\Process::read(): the process has no pipe (pipe_type 0, or closed with close())
Tide\Exception: Tide\Process::write(): the process has no pipe (pipe_type 0, or closed with close())
ValueError: Tide\Process::signal(): Argument #1 ($signal_no) must be a signal number that can be caught (1 to 64, not SIGKILL or SIGSTOP)
ValueError: Tide\Process::signal(): Argument #1 ($signal_no) must be a signal number that can be caught (1 to 64, not SIGKILL or SIGSTOP)
TypeError: Tide\Process::signal(): Argument #2 ($callback) must be a valid callback or null, function "no_such_function" not found or invalid function name
ValueError: Tide\Process::kill(): Argument #2 ($signal_no) must be a signal number (0 to 64)
ValueError: Tide\Process::alarm(): Argument #1 ($usec) must be greater than or equal to 0 (0 stops the alarm)
ValueError: Tide\Process::alarm(): Argument #2 ($type) must be 0 (ITIMER_REAL), 1 (ITIMER_VIRTUAL) or 2 (ITIMER_PROF)
ValueError: Tide\Process::setAffinity(): Argument #1 ($cpu_settings) must list at least one CPU
ValueError: Tide\Process::setAffinity(): Argument #1 ($cpu_settings) holds CPU -1, not between 0 and 1023
TypeError: Tide\Process::setAffinity(): Argument #1 ($cpu_settings) must hold CPU numbers (int), string given
Tide\Exception: Tide\Process::__construct() was not called (a subclass must call parent::__construct())
Tide\Exception: Tide\Process::start(): a process with enable_coroutine cannot be started from a coroutine or the running loop (its Tide\run() would run inside the parent's); start it before Tide\run()
Tide\Exception: Tide\Process::daemon() cannot be called from a coroutine or the running loop (the process goes on in a fork of itself)
