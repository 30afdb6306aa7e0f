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
        public static function getContext(int $cid = 0): ?\ArrayObject {}

        /** Ids of the live coroutines. */
        public static function list(): \Iterator {}

        public static function stats(): array {}

        /** Wakes $cid from a sleep or a channel / wait group wait, which then returns false. */
        public static function cancel(int $cid): bool {}

        public static function isCanceled(): bool {}

        /** max_coroutine, stack_size, hook_flags, deadlock_check. */
        public static function set(array $options): void {}
    }
}
