<?php

/** @generate-class-entries */

namespace Tide\Coroutine {
    /**
     * Swoole's Coroutine\System: blocking system calls that wait in the calling coroutine
     * only, whatever the hook flags say. Each must be called in a coroutine.
     *
     * @strict-properties
     * @not-serializable
     */
    final class System
    {
        /** @implementation-alias Tide\Coroutine::sleep */
        public static function sleep(float $seconds): bool {}

        /**
         * Runs `/bin/sh -c $command`: ['code' => exit code, 'signal' => the signal that
         * ended it or 0, 'output' => its stdout (and stderr with $get_error_stream)].
         */
        public static function exec(string $command, bool $get_error_stream = false): array|false {}

        /** The first address of $domain_name for $type (AF_INET = 2, AF_INET6 = 10). */
        public static function gethostbyname(string $domain_name, int $type = 2, float $timeout = -1): string|false {}

        /** The same, in Swoole's other argument order. */
        public static function dnsLookup(string $domain_name, float $timeout = 60, int $type = 2): string|false {}

        /** Every address getaddrinfo(3) gives for $domain (SOCK_STREAM = 1, IPPROTO_TCP = 6). */
        public static function getaddrinfo(string $domain, int $family = 2, int $socktype = 1, int $protocol = 6, ?string $service = null, float $timeout = -1): array|false {}

        /** file_get_contents($filename) through the ring; $flag LOCK_SH/LOCK_EX locks it. */
        public static function readFile(string $filename, int $flag = 0): string|false {}

        /** file_put_contents(): $flags FILE_APPEND and LOCK_EX as PHP's; bytes written. */
        public static function writeFile(string $filename, string $fileContent, int $flags = 0): int|false {}

        /** Waits for child $pid to end and reaps it: ['pid', 'code', 'signal']; false on timeout. */
        public static function waitPid(int $pid, float $timeout = -1): array|false {}

        /** The same for any child; false on timeout, or when there is no child. */
        public static function wait(float $timeout = -1): array|false {}

        /**
         * Waits until one of $signals arrives: its number; false on timeout, or (with a
         * warning) when another watch has one of them (Tide\Process::signal()).
         */
        public static function waitSignal(int|array $signals, float $timeout = -1): int|false {}

        /**
         * Waits until $socket (a stream, a Socket or an fd) is readable (Tide\Event::READ)
         * or writable (Tide\Event::WRITE); the events that are ready, or false on timeout.
         */
        public static function waitEvent(mixed $socket, int $events = 512, float $timeout = -1): int|false {}

        /** statvfs(3) of $path, with Swoole's keys. */
        public static function statvfs(string $path): array|false {}
    }
}
