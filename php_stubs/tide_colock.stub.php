<?php

/** @generate-class-entries */

namespace Tide\Coroutine {
    /**
     * Swoole's Coroutine\Lock: a lock held by a coroutine, which waits in the coroutine for
     * it. LOCK_EX takes it alone, LOCK_SH with other readers, | LOCK_NB does not wait.
     * $shared: made before a fork, it is one lock for every process of a server.
     *
     * @not-serializable
     */
    final class Lock
    {
        public function __construct(bool $shared = false) {}

        /** false with LOCK_NB when it is held, or when the waiting coroutine is canceled. */
        public function lock(int $operation = LOCK_EX): bool {}

        /** Lets go of the calling coroutine's hold; false (with a warning) if it has none. */
        public function unlock(): bool {}
    }
}
