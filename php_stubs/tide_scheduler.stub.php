<?php

/** @generate-class-entries */

namespace Tide\Coroutine {
    /**
     * Swoole's Coroutine\Scheduler: coroutines collected first, then run together by
     * start() as Tide\run() runs its function.
     *
     * @not-serializable
     */
    final class Scheduler
    {
        /** Adds a coroutine that start() runs as $fn(...$args). */
        public function add(callable $fn, mixed ...$args): void {}

        /** Adds $n coroutines, each running $fn(...$args). */
        public function parallel(int $n, callable $fn, mixed ...$args): void {}

        /** Coroutine::set()'s options, applied when start() runs. */
        public function set(array $settings): void {}

        public function getOptions(): ?array {}

        /**
         * Runs every coroutine added, and the loop until nothing is left; true when all
         * ended, false when coroutines were left waiting for ever (a deadlock, reported).
         * The coroutines added are dropped once started.
         */
        public function start(): bool {}
    }
}
