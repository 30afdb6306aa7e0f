<?php

/** @generate-class-entries */

namespace Tide\Coroutine {
    /**
     * A TCP, UDP or Unix socket client (with TLS: | Tide\SSL) whose waits suspend only the
     * calling coroutine. Swoole's Swoole\Coroutine\Client.
     *
     * @strict-properties
     * @not-serializable
     */
    class Client
    {
        /**
         * @var int
         * @cvalue MSG_OOB
         */
        public const MSG_OOB = UNKNOWN;
        /**
         * @var int
         * @cvalue MSG_PEEK
         */
        public const MSG_PEEK = UNKNOWN;
        /**
         * @var int
         * @cvalue MSG_DONTWAIT
         */
        public const MSG_DONTWAIT = UNKNOWN;
        /**
         * @var int
         * @cvalue MSG_WAITALL
         */
        public const MSG_WAITALL = UNKNOWN;

        /** The errno (or Swoole error code) of the last failure, 0 when none. */
        public int $errCode = 0;
        public string $errMsg = '';
        /** The socket's descriptor while connected, else -1. */
        public int $fd = -1;
        public int $type = 1;
        public ?array $setting = null;
        public bool $connected = false;

        public function __construct(int $type) {}

        /** Swoole's client keys; an unknown key is a ValueError. Merged into $setting. */
        public function set(array $settings): bool {}

        /** $timeout 0: the setting's (connect_timeout, default 10 s); < 0: no limit. */
        public function connect(string $host, int $port = 0, float $timeout = 0, int $sock_flag = 0): bool {}

        /** Sends all of $data; the bytes sent, or false (errCode says why). */
        public function send(string $data, float $timeout = 0): int|false {}

        /** One package with framing on, else what arrived (up to 64 KiB); '' when the peer closed. */
        public function recv(float $timeout = 0): string|false {}

        public function peek(int $length = 65535): string|false {}

        public function sendto(string $address, int $port, string $data): bool {}

        /** @param string $address @param int $port */
        public function recvfrom(int $length, mixed &$address, mixed &$port = 0): string|false {}

        public function sendfile(string $filename, int $offset = 0, int $length = 0): bool {}

        public function enableSSL(): bool {}

        public function getPeerCert(): string|false {}

        public function isConnected(): bool {}

        public function getsockname(): array|false {}

        public function getpeername(): array|false {}

        public function close(): bool {}
    }
}

namespace Tide {
    /**
     * The same client for code outside coroutines (blocking there; inside a coroutine it
     * waits in the coroutine). Swoole's Swoole\Client, synchronous mode.
     *
     * @strict-properties
     * @not-serializable
     */
    class Client
    {
        /**
         * @var int
         * @cvalue MSG_OOB
         */
        public const MSG_OOB = UNKNOWN;
        /**
         * @var int
         * @cvalue MSG_PEEK
         */
        public const MSG_PEEK = UNKNOWN;
        /**
         * @var int
         * @cvalue MSG_DONTWAIT
         */
        public const MSG_DONTWAIT = UNKNOWN;
        /**
         * @var int
         * @cvalue MSG_WAITALL
         */
        public const MSG_WAITALL = UNKNOWN;
        /**
         * @var int
         * @cvalue SHUT_RDWR
         */
        public const SHUT_RDWR = UNKNOWN;
        /**
         * @var int
         * @cvalue SHUT_RD
         */
        public const SHUT_RD = UNKNOWN;
        /**
         * @var int
         * @cvalue SHUT_WR
         */
        public const SHUT_WR = UNKNOWN;

        public int $errCode = 0;
        public string $errMsg = '';
        /** The socket's descriptor while connected, else -1. */
        public int $sock = -1;
        public int $type = 1;
        public ?string $id = null;
        public ?array $setting = null;

        /** $async true (SWOOLE_SOCK_ASYNC) is refused: Swoole removed it in 4.3. */
        public function __construct(int $type, bool $async = false, string $id = '') {}

        /** @implementation-alias Tide\Coroutine\Client::set */
        public function set(array $settings): bool {}

        /** $timeout also bounds each later send() and recv() unless a setting does. */
        public function connect(string $host, int $port = 0, float $timeout = 0.5, int $sock_flag = 0): bool {}

        public function send(string $data, int $flag = 0): int|false {}

        /** $flag: MSG_WAITALL (exactly $size bytes), MSG_PEEK, MSG_DONTWAIT. */
        public function recv(int $size = 65536, int $flag = 0): string|false {}

        /** @implementation-alias Tide\Coroutine\Client::sendfile */
        public function sendfile(string $filename, int $offset = 0, int $length = 0): bool {}

        /** @implementation-alias Tide\Coroutine\Client::sendto */
        public function sendto(string $ip, int $port, string $data): bool {}

        /** @implementation-alias Tide\Coroutine\Client::recvfrom */
        public function recvfrom(int $length, mixed &$address, mixed &$port = 0): string|false {}

        /** @implementation-alias Tide\Coroutine\Client::enableSSL */
        public function enableSSL(): bool {}

        /** @implementation-alias Tide\Coroutine\Client::getPeerCert */
        public function getPeerCert(): string|false {}

        /** @implementation-alias Tide\Coroutine\Client::isConnected */
        public function isConnected(): bool {}

        /** @implementation-alias Tide\Coroutine\Client::getsockname */
        public function getsockname(): array|false {}

        /** @implementation-alias Tide\Coroutine\Client::getpeername */
        public function getpeername(): array|false {}

        public function close(bool $force = false): bool {}

        public function shutdown(int $how): bool {}
    }
}
