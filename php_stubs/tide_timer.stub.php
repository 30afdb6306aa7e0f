<?php

/** @generate-class-entries */

namespace Tide {
    /**
     * @strict-properties
     * @not-serializable
     */
    final class Timer
    {
        /**
         * Calls $callback($timerId, ...$params) every $ms milliseconds; returns the timer id.
         * $ms < 1 is a ValueError (with tide.swoole_compat=On: a warning and false, as Swoole).
         */
        public static function tick(int $ms, callable $callback, mixed ...$params): int|false {}

        /** Calls $callback(...$params) once, after $ms milliseconds (no timer id, as in Swoole). */
        public static function after(int $ms, callable $callback, mixed ...$params): int|false {}

        public static function clear(int $timerId): bool {}

        public static function clearAll(): bool {}

        public static function info(int $timerId): ?array {}

        public static function list(): \Iterator {}

        /** Whether the timer is still scheduled (false once cleared or once an after() ran). */
        public static function exists(int $timerId): bool {}

        /**
         * initialized (whether this process has its timer heap yet), num (timers scheduled)
         * and round (timer callbacks run so far), as Swoole.
         */
        public static function stats(): array {}
    }
}
