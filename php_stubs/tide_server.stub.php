<?php

/** @generate-class-entries */

namespace Tide {
    /**
     * @var int
     * @cvalue TIDE_MODE_BASE
     */
    const MODE_BASE = UNKNOWN;
    /**
     * @var int
     * @cvalue TIDE_MODE_PROCESS
     */
    const MODE_PROCESS = UNKNOWN;
    /**
     * @var int
     * @cvalue TIDE_SOCK_TCP
     */
    const SOCK_TCP = UNKNOWN;
    /**
     * @var int
     * @cvalue TIDE_SOCK_TCP6
     */
    const SOCK_TCP6 = UNKNOWN;
    /**
     * @var int
     * @cvalue TIDE_SOCK_UDP
     */
    const SOCK_UDP = UNKNOWN;
    /**
     * @var int
     * @cvalue TIDE_SOCK_UDP6
     */
    const SOCK_UDP6 = UNKNOWN;
    /**
     * @var int
     * @cvalue TIDE_SOCK_UNIX_STREAM
     */
    const SOCK_UNIX_STREAM = UNKNOWN;
    /**
     * @var int
     * @cvalue TIDE_SOCK_UNIX_DGRAM
     */
    const SOCK_UNIX_DGRAM = UNKNOWN;
    /**
     * @var int
     * @cvalue TIDE_SOCK_SSL
     */
    const SSL = UNKNOWN;

    /** @not-serializable */
    class Server
    {
        public readonly int $master_pid;
        public readonly int $manager_pid;
        public readonly int $worker_id;
        public readonly int $worker_pid;
        public readonly bool $taskworker;
        public readonly array $setting;
        public readonly array $ports;
        public readonly int $mode;

        public function __construct(string $host = "0.0.0.0", int $port = 0,
                                    int $mode = \Tide\MODE_PROCESS, int $sockType = \Tide\SOCK_TCP) {}

        public function set(array $settings): bool {}

        public function on(string $event, callable $callback): bool {}

        /** The callback on() set for $event, as it was given; null when none is set. */
        public function getCallback(string $event): mixed {}

        public function listen(string $host, int $port, int $sockType): \Tide\Server\Port|false {}

        /** @implementation-alias Tide\Server::listen */
        public function addListener(string $host, int $port, int $sockType): \Tide\Server\Port|false {}

        /** Before start(): the server starts $process as a child of its own, keeps it alive
         * and stops it at shutdown; returns its index (0, 1, ... in the order added). */
        public function addProcess(\Tide\Process $process): int|false {}

        public function start(): bool {}

        public function shutdown(): bool {}

        public function reload(bool $onlyTaskWorkers = false): bool {}

        public function stop(int $workerId = -1): bool {}

        public function send(int $fd, string $data): bool {}

        public function sendto(string $ip, int $port, string $data, int $serverSocket = -1): bool {}

        public function sendfile(int $fd, string $file, int $offset = 0, int $length = 0): bool {}

        public function close(int $fd, bool $reset = false): bool {}

        public function exists(int $fd): bool {}

        /** @implementation-alias Tide\Server::exists */
        public function exist(int $fd): bool {}

        public function pause(int $fd): bool {}

        public function resume(int $fd): bool {}

        public function getClientInfo(int $fd): array|false {}

        /** @implementation-alias Tide\Server::getClientInfo */
        public function connection_info(int $fd): array|false {}

        public function getClientList(int $startFd = 0, int $count = 10): array|false {}

        /** @implementation-alias Tide\Server::getClientList */
        public function connection_list(int $startFd = 0, int $count = 10): array|false {}

        /** send(), then (in a coroutine) wait until the connection's output queue is written. */
        public function sendwait(int $fd, string $data): bool {}

        /** The connections idle longer than heartbeat_idle_time, closed when asked. */
        public function heartbeat(bool $ifCloseConnection = true): array|false {}

        /** The code of the last failure Tide reported with one (as swoole_last_error()). */
        public function getLastError(): int {}

        public function stats(): array {}

        public function sendMessage(mixed $message, int $dstWorkerId): bool {}

        public function task(mixed $data, int $dstWorkerId = -1, ?callable $finishCallback = null): int|false {}

        public function taskwait(mixed $data, float $timeout = 0.5, int $dstWorkerId = -1): mixed {}

        public function taskWaitMulti(array $tasks, float $timeout = 0.5): array|false {}

        public function taskCo(array $tasks, float $timeout = 0.5): array|false {}

        public function finish(mixed $data): bool {}

        public function getWorkerId(): int|false {}

        public function getWorkerPid(int $workerId = -1): int|false {}

        public function getMasterPid(): int {}

        public function getManagerPid(): int {}
    }

    /** A task, as a task worker with task_enable_coroutine gets it. */
    final class Task
    {
        public int $id;
        /** The worker that sent it. */
        public int $worker_id;
        public int $flags;
        public mixed $data;
        /** When the task was handed out (Unix time). */
        public float $dispatch_time;

        public function finish(mixed $data): bool {}
    }
}

namespace Tide\Server {
    /**
     * @not-serializable
     * @strict-properties
     */
    final class Port
    {
        public readonly string $host;
        public readonly int $port;
        public readonly int $type;
        public readonly array $setting;

        private function __construct() {}

        public function set(array $settings): bool {}

        public function on(string $event, callable $callback): bool {}

        /** The callback on() set for $event, as it was given; null when none is set. */
        public function getCallback(string $event): mixed {}
    }
}
