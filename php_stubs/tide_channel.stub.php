<?php

/** @generate-class-entries */

namespace Tide\Coroutine {
    /**
     * @strict-properties
     * @not-serializable
     */
    class Channel
    {
        public readonly int $capacity;
        /** 0 ok, -1 timeout, -2 closed, -3 cancelled */
        public int $errCode = 0;

        public function __construct(int $capacity = 1) {}

        /** Waits while full, up to $timeout seconds (< 0: no limit, 0: no wait). */
        public function push(mixed $data, float $timeout = -1): bool {}

        /** Waits while empty; false on timeout, cancel, or closed and empty. */
        public function pop(float $timeout = -1): mixed {}

        public function close(): bool {}

        public function length(): int {}

        public function isEmpty(): bool {}

        public function isFull(): bool {}

        public function stats(): array {}
    }

    /**
     * @strict-properties
     * @not-serializable
     */
    final class WaitGroup
    {
        public function __construct(int $delta = 0) {}

        public function add(int $delta = 1): void {}

        public function done(): void {}

        /** Waits until the counter is zero, up to $timeout seconds (< 0: no limit). */
        public function wait(float $timeout = -1): bool {}

        public function count(): int {}
    }
}
