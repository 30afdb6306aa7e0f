<?php

/** @generate-class-entries */

namespace Tide {
    /**
     * @var string
     * @cvalue TIDE_VERSION
     */
    const VERSION = UNKNOWN;

    /**
     * Runs $fn, then the event loop until no timer or I/O is pending.
     * Returns true; an exception thrown by $fn or by a callback propagates.
     */
    function run(callable $fn, mixed ...$args): bool {}

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
