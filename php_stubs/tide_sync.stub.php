<?php

/** @generate-class-entries */

namespace Tide {
    /**
     * A 32-bit unsigned counter in memory shared by every process of a server (made before
     * start() or pcntl_fork()).
     * @strict-properties
     * @not-serializable
     */
    final class Atomic
    {
        public function __construct(int $value = 0) {}

        /** The new value (modulo 2^32). */
        public function add(int $n = 1): int {}

        public function sub(int $n = 1): int {}

        public function get(): int {}

        public function set(int $v): void {}

        public function cmpset(int $cmp, int $new): bool {}

        /**
         * Waits while the value is 0, up to $timeout seconds (<= 0: no limit); true once
         * it took a wakeup (a value of 1, turned back to 0).
         */
        public function wait(float $timeout = 1.0): bool {}

        /** Sets 0 to 1 and wakes up to $n waiters. */
        public function wakeup(int $n = 1): bool {}
    }

    /**
     * @strict-properties
     * @not-serializable
     */
    final class Lock
    {
        /**
         * @var int
         * @cvalue TIDE_LOCK_MUTEX
         */
        public const MUTEX = UNKNOWN;
        /**
         * @var int
         * @cvalue TIDE_LOCK_RWLOCK
         */
        public const RWLOCK = UNKNOWN;
        /**
         * @var int
         * @cvalue TIDE_LOCK_SPINLOCK
         */
        public const SPINLOCK = UNKNOWN;

        public function __construct(int $type = Lock::MUTEX) {}

        /** LOCK_EX or LOCK_SH (a read lock), | LOCK_NB to only try; $timeout < 0: no limit. */
        public function lock(int $operation = LOCK_EX, float $timeout = -1): bool {}

        public function trylock(): bool {}

        public function unlock(): bool {}

        public function lockwait(float $timeout = 1.0): bool {}

        public function lock_read(): bool {}

        public function trylock_read(): bool {}
    }
}

namespace Tide\Atomic {
    /**
     * A 64-bit signed counter in shared memory.
     * @strict-properties
     * @not-serializable
     */
    final class Long
    {
        public function __construct(int $value = 0) {}

        public function add(int $n = 1): int {}

        public function sub(int $n = 1): int {}

        public function get(): int {}

        public function set(int $v): void {}

        public function cmpset(int $cmp, int $new): bool {}
    }
}
