<?php

/** @generate-class-entries */

namespace Tide\Coroutine\Http {
    /**
     * @strict-properties
     * @not-serializable
     */
    final class Server
    {
        public int $fd = -1;
        public string $host = "";
        public int $port = -1;
        public bool $ssl = false;
        public array $settings = [];
        public int $errCode = 0;
        public string $errMsg = "";

        public function __construct(string $host, int $port = 0, bool $ssl = false, bool $reuse_port = false) {}

        public function set(array $settings): bool {}

        public function handle(string $pattern, callable $callback): bool {}

        public function start(): bool {}

        public function shutdown(): void {}

        /** The coroutine of one accepted connection (start() makes it; not for PHP code). */
        private function onAccept(int $fd): void {}
    }
}
