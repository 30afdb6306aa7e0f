<?php

/** @generate-class-entries */

namespace Tide {
    /**
     * @var int
     * @cvalue PHP_TIDE_MSGQUEUE_ORIENT
     */
    const MSGQUEUE_ORIENT = UNKNOWN;
    /**
     * @var int
     * @cvalue PHP_TIDE_MSGQUEUE_BALANCE
     */
    const MSGQUEUE_BALANCE = UNKNOWN;

    /**
     * Swoole's Process: a child process started with fork(), a socketpair to it, and the
     * process-wide calls around it (signals, wait, alarm, daemon, affinity, priority).
     * Not final: Swoole programs extend it.
     *
     * @strict-properties
     * @not-serializable
     */
    class Process
    {
        /**
         * @var int
         * @cvalue PHP_TIDE_PIPE_CLOSE_MASTER
         */
        public const PIPE_MASTER = UNKNOWN;
        /**
         * @var int
         * @cvalue PHP_TIDE_PIPE_CLOSE_WORKER
         */
        public const PIPE_WORKER = UNKNOWN;
        /**
         * @var int
         * @cvalue PHP_TIDE_PIPE_CLOSE_READ
         */
        public const PIPE_READ = UNKNOWN;
        /**
         * @var int
         * @cvalue PHP_TIDE_PIPE_CLOSE_WRITE
         */
        public const PIPE_WRITE = UNKNOWN;
        /**
         * @var int
         * @cvalue PHP_TIDE_PIPE_TYPE_NONE
         */
        public const PIPE_TYPE_NONE = UNKNOWN;
        /**
         * @var int
         * @cvalue PHP_TIDE_PIPE_TYPE_STREAM
         */
        public const PIPE_TYPE_STREAM = UNKNOWN;
        /**
         * @var int
         * @cvalue PHP_TIDE_PIPE_TYPE_DGRAM
         */
        public const PIPE_TYPE_DGRAM = UNKNOWN;
        /**
         * @var int
         * @cvalue PHP_TIDE_IPC_NOWAIT
         */
        public const IPC_NOWAIT = UNKNOWN;

        /* Properties $pipe, $pid, $id (public) and $callback (private) are declared in
         * process.c: untyped, as Swoole's, so that a subclass may declare them again. */

        /** $pipe_type: 0 no pipe, 1 SOCK_STREAM, 2 SOCK_DGRAM (Swoole's default). */
        public function __construct(callable $callback, bool $redirect_stdin_and_stdout = false, int $pipe_type = 2, bool $enable_coroutine = false) {}

        /** Forks: the child's pid in the parent; the child runs $callback($this), then exits. */
        public function start(): int|false {}

        /** Sends $data on the pipe (one message with SOCK_DGRAM): the bytes written. */
        public function write(string $data): int|false {}

        /** At most $size bytes (one message with SOCK_DGRAM) from the pipe; "" at its end. */
        public function read(int $size = 8192): string|false {}

        /** 0 both ends, PIPE_MASTER/PIPE_WORKER one end, PIPE_READ/PIPE_WRITE a direction. */
        public function close(int $which = 0): bool {}

        /** Seconds read() and write() wait at most (< 0: no limit). */
        public function setTimeout(float $seconds): bool {}

        /** false: read() and write() return false at once instead of waiting. */
        public function setBlocking(bool $blocking): bool {}

        /** Only 'enable_coroutine'. */
        public function set(array $settings): void {}

        /** The process title (cli_set_process_title()). */
        public function name(string $process_name): bool {}

        /** execv($exec_file, [$exec_file, ...$args]) in this process; false when it fails. */
        public function exec(string $exec_file, array $args): bool {}

        /** Ends the child (only in it) with $exit_code, as exit($exit_code). */
        public function exit(int $exit_code = 0): void {}

        /** setpriority(2); $who null: this process object's pid (PRIO_PROCESS only). */
        public function setPriority(int $which, int $priority, ?int $who = null): bool {}

        public function getPriority(int $which, ?int $who = null): int|false {}

        /** kill(2); $signal_no 15 is SIGTERM. */
        public static function kill(int $pid, int $signal_no = 15): bool {}

        /** Reaps a child that ended: ['pid', 'code', 'signal'], or false. */
        public static function wait(bool $blocking = true): array|false {}

        /** Runs $callback($signal_no) in a coroutine of its own when the signal arrives; null removes it. */
        public static function signal(int $signal_no, ?callable $callback = null): bool {}

        /** setitimer(2): every $usec microseconds (0 stops it); $type 0 real, 1 virtual, 2 prof. */
        public static function alarm(int $usec, int $type = 0): bool {}

        /** daemon(3), after putting $pipes[0..2] (fds or streams) on stdin, stdout, stderr. */
        public static function daemon(bool $nochdir = true, bool $noclose = true, array $pipes = []): bool {}

        /** sched_setaffinity(2) of this process to the CPUs listed. */
        public static function setAffinity(array $cpu_settings): bool {}

        public static function getAffinity(): array {}

        /**
         * A SysV message queue for this process object (Swoole's): key 0 is made from the
         * running script's path; mode MSGQUEUE_BALANCE (any message) or MSGQUEUE_ORIENT
         * (those pushed to this object), | IPC_NOWAIT; capacity: its bytes (-1: the
         * system's).
         */
        public function useQueue(int $key = 0, int $mode = \Tide\MSGQUEUE_BALANCE, int $capacity = -1): bool {}

        /** ['queue_num' => messages, 'queue_bytes' => bytes] */
        public function statQueue(): array|false {}

        /** Removes the queue (for every process using it). */
        public function freeQueue(): bool {}

        /** Puts a message (at most 65536 bytes) in the queue; waits while it is full. */
        public function push(string $data): bool {}

        /** Takes a message (up to $size bytes, at most 65536); waits while there is none. */
        public function pop(int $size = 65536): string|false {}
    }
}
