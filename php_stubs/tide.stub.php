<?php

/** @generate-class-entries */

namespace Tide {
    /**
     * @var string
     * @cvalue TIDE_VERSION
     */
    const VERSION = UNKNOWN;

    /**
     * Runs $fn in a coroutine, then the scheduler and the event loop until no coroutine,
     * timer or I/O is left. Returns false when coroutines were left waiting for ever (a
     * deadlock, reported on stderr). An uncaught exception in any coroutine propagates.
     */
    function run(callable $fn, mixed ...$args): bool {}

    /** Creates a coroutine running $fn(...$args) at once (= Tide\Coroutine::create). */
    function go(callable $fn, mixed ...$args): int|false {}

    class Exception extends \Exception
    {
    }

    /**
     * Swoole's Event API: callbacks on file descriptors (level-triggered, in a coroutine
     * each), write queues, deferred and per-turn callbacks, and the loop itself.
     * @not-serializable
     */
    final class Event
    {
        /**
         * @var int
         * @cvalue PHP_TIDE_EVENT_READ
         */
        public const READ = UNKNOWN;
        /**
         * @var int
         * @cvalue PHP_TIDE_EVENT_WRITE
         */
        public const WRITE = UNKNOWN;

        /** Watches $fd (int, stream or Socket); returns its number, false when already watched. */
        public static function add(mixed $fd, ?callable $read = null, ?callable $write = null, int $events = Event::READ): int|false {}

        /** Changes the callbacks (null keeps one) and the events (0: READ, as Swoole). */
        public static function set(mixed $fd, ?callable $read = null, ?callable $write = null, int $events = 0): bool {}

        public static function del(mixed $fd): bool {}

        public static function isset(mixed $fd, int $events = Event::READ | Event::WRITE): bool {}

        /** Queues $data for $fd (added before), written in order when it can be. */
        public static function write(mixed $fd, string $data): bool {}

        /** Runs $callback at the end of this loop turn. */
        public static function defer(callable $callback): bool {}

        /** Runs $callback every loop turn (null removes it). */
        public static function cycle(?callable $callback, bool $before = false): bool {}

        /** Runs one loop turn. */
        public static function dispatch(): bool {}

        /** Stops the loop after this turn; clears timers and watches, as Swoole. */
        public static function exit(): void {}

        /** Runs the event loop until no watch, timer or coroutine is left. */
        public static function wait(): void {}
    }
}
