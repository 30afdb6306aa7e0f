<?php

/** @generate-class-entries */

namespace Tide\WebSocket {
    /**
     * @var int
     * @cvalue TIDE_WS_CONTINUATION
     */
    const OPCODE_CONTINUATION = UNKNOWN;
    /**
     * @var int
     * @cvalue TIDE_WS_TEXT
     */
    const OPCODE_TEXT = UNKNOWN;
    /**
     * @var int
     * @cvalue TIDE_WS_BINARY
     */
    const OPCODE_BINARY = UNKNOWN;
    /**
     * @var int
     * @cvalue TIDE_WS_CLOSE
     */
    const OPCODE_CLOSE = UNKNOWN;
    /**
     * @var int
     * @cvalue TIDE_WS_PING
     */
    const OPCODE_PING = UNKNOWN;
    /**
     * @var int
     * @cvalue TIDE_WS_PONG
     */
    const OPCODE_PONG = UNKNOWN;
    /**
     * @var int
     * @cvalue TIDE_WS_FLAG_FIN
     */
    const FLAG_FIN = UNKNOWN;
    /**
     * @var int
     * @cvalue TIDE_WS_FLAG_COMPRESS
     */
    const FLAG_COMPRESS = UNKNOWN;
    /**
     * @var int
     * @cvalue TIDE_WS_FLAG_RSV1
     */
    const FLAG_RSV1 = UNKNOWN;
    /**
     * @var int
     * @cvalue TIDE_WS_FLAG_RSV2
     */
    const FLAG_RSV2 = UNKNOWN;
    /**
     * @var int
     * @cvalue TIDE_WS_FLAG_RSV3
     */
    const FLAG_RSV3 = UNKNOWN;
    /**
     * @var int
     * @cvalue TIDE_WS_FLAG_MASK
     */
    const FLAG_MASK = UNKNOWN;
    /**
     * @var int
     * @cvalue TIDE_WS_CLOSE_NORMAL
     */
    const CLOSE_NORMAL = UNKNOWN;
    /**
     * @var int
     * @cvalue TIDE_WS_CLOSE_GOING_AWAY
     */
    const CLOSE_GOING_AWAY = UNKNOWN;
    /**
     * @var int
     * @cvalue TIDE_WS_CLOSE_PROTOCOL
     */
    const CLOSE_PROTOCOL_ERROR = UNKNOWN;
    /**
     * @var int
     * @cvalue TIDE_WS_CLOSE_BAD_DATA
     */
    const CLOSE_DATA_ERROR = UNKNOWN;
    /**
     * @var int
     * @cvalue TIDE_WS_CLOSE_POLICY
     */
    const CLOSE_POLICY_ERROR = UNKNOWN;
    /**
     * @var int
     * @cvalue TIDE_WS_CLOSE_TOO_BIG
     */
    const CLOSE_MESSAGE_TOO_BIG = UNKNOWN;
    /**
     * @var int
     * @cvalue TIDE_WS_CLOSE_ERROR
     */
    const CLOSE_SERVER_ERROR = UNKNOWN;

    /** @not-serializable */
    class Server extends \Tide\Http\Server
    {
        public function push(int $fd, Frame|string $data, int $opcode = \Tide\WebSocket\OPCODE_TEXT,
                             int $flags = \Tide\WebSocket\FLAG_FIN): bool {}

        public function disconnect(int $fd, int $code = \Tide\WebSocket\CLOSE_NORMAL, string $reason = ""): bool {}

        public function isEstablished(int $fd): bool {}

        /** A ping frame to a WebSocket connection (push() with OPCODE_PING). */
        public function ping(int $fd, string $data = ""): bool {}

        public static function pack(Frame|string $data, int $opcode = \Tide\WebSocket\OPCODE_TEXT,
                                    int $flags = \Tide\WebSocket\FLAG_FIN): string {}

        public static function unpack(string $data): Frame|false {}
    }

    class Frame
    {
        public int $fd = 0;
        public string $data = "";
        public int $opcode = \Tide\WebSocket\OPCODE_TEXT;
        public int $flags = \Tide\WebSocket\FLAG_FIN;
        public bool $finish = true;

        /** The frame as it goes on the wire (pack() of this frame). */
        public function __toString(): string {}

        /** @implementation-alias Tide\WebSocket\Server::pack */
        public static function pack(Frame|string $data, int $opcode = \Tide\WebSocket\OPCODE_TEXT,
                                    int $flags = \Tide\WebSocket\FLAG_FIN): string {}

        /** @implementation-alias Tide\WebSocket\Server::unpack */
        public static function unpack(string $data): Frame|false {}
    }

    class CloseFrame extends Frame
    {
        public int $opcode = \Tide\WebSocket\OPCODE_CLOSE;
        public int $code = \Tide\WebSocket\CLOSE_NORMAL;
        public string $reason = "";
    }
}

namespace Tide\Server {
    /** @not-serializable */
    final class ConnectionIterator implements \Iterator, \Countable, \ArrayAccess
    {
        private function __construct() {}

        public function current(): mixed {}

        public function key(): mixed {}

        public function next(): void {}

        public function rewind(): void {}

        public function valid(): bool {}

        public function count(): int {}

        /** Whether connection $fd is open now (Tide\Server::exists()). */
        public function offsetExists(mixed $fd): bool {}

        /** Connection $fd's getClientInfo(), or false. */
        public function offsetGet(mixed $fd): mixed {}

        /** Read-only: throws. */
        public function offsetSet(mixed $fd, mixed $value): void {}

        /** Read-only: throws. */
        public function offsetUnset(mixed $fd): void {}
    }
}
