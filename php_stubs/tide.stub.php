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

    /** @not-serializable */
    final class Event
    {
        /** Runs the event loop until no timer or I/O is pending. */
        public static function wait(): void {}
    }
}
