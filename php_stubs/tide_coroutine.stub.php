<?php

/** @generate-class-entries */

namespace Tide {
    /**
     * @strict-properties
     * @not-serializable
     */
    final class Coroutine
    {
        /** Creates a coroutine and runs it until it first suspends; its id, or false. */
        public static function create(callable $fn, mixed ...$args): int|false {}

        /** The running coroutine's id, -1 outside any. */
        public static function getCid(): int {}

        /** @implementation-alias Tide\Coroutine::getCid */
        public static function getuid(): int {}

        /** The id of the coroutine that created $cid (0: the running one); -1 for none. */
        public static function getPcid(int $cid = 0): int|false {}

        public static function exists(int $cid): bool {}

        /** Suspends the running coroutine until Coroutine::resume(). */
        public static function yield(): bool {}

        /** @implementation-alias Tide\Coroutine::yield */
        public static function suspend(): bool {}

        /** Resumes a coroutine suspended by yield(); false (with a warning) otherwise. */
        public static function resume(int $cid): bool {}

        public static function sleep(float $seconds): bool {}

        /** Runs $fn when the running coroutine ends (last registered, first run). */
        public static function defer(callable $fn): void {}

        /** Per-coroutine storage, freed when the coroutine ends; null outside a coroutine. */
        public static function getContext(int $cid = 0): ?\Tide\Coroutine\Context {}

        /** Ids of the live coroutines. */
        public static function list(): \Iterator {}

        /** @implementation-alias Tide\Coroutine::list */
        public static function listCoroutines(): \Iterator {}

        /**
         * Waits until every coroutine in $cids has ended (ids no longer alive count as
         * ended); false when $timeout (seconds, < 0: none) passes first or the caller is
         * canceled.
         */
        public static function join(array $cids, float $timeout = -1): bool {}

        /** Milliseconds since $cid (0: the running one) started; -1 if it does not exist. */
        public static function getElapsed(int $cid = 0): int {}

        /**
         * debug_backtrace() of $cid (0: the running one), a suspended coroutine's from where
         * it waits; false if it does not exist.
         */
        public static function getBackTrace(int $cid = 0, int $options = DEBUG_BACKTRACE_PROVIDE_OBJECT, int $limit = 0): array|false {}

        /** debug_print_backtrace() of $cid (0: the running one). */
        public static function printBackTrace(int $cid = 0, int $options = 0, int $limit = 0): void {}

        /** Bytes of PHP VM stack $cid (0: the running one) uses; false if it does not exist. */
        public static function getStackUsage(int $cid = 0): int|false {}

        public static function stats(): array {}

        /** Wakes $cid from a sleep or a channel / wait group wait, which then returns false. */
        public static function cancel(int $cid): bool {}

        public static function isCanceled(): bool {}

        /**
         * max_coroutine, stack_size (alias c_stack_size), hook_flags, deadlock_check (alias
         * enable_deadlock_check), and Swoole's other option names (see the README).
         */
        public static function set(array $options): void {}

        /** The options set() has set in this process. */
        public static function getOptions(): ?array {}
    }
}

namespace Tide\Coroutine {
    /** What Coroutine::getContext() returns: an ArrayObject that lives as long as its coroutine. */
    class Context extends \ArrayObject
    {
    }
}
