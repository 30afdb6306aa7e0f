<?php

/** @generate-class-entries */

namespace Tide\Http {
    /** @not-serializable */
    class Server extends \Tide\Server
    {
    }

    /** @not-serializable */
    class Request
    {
        public int $fd = 0;
        public int $streamId = 0;
        public ?array $header = null;
        public ?array $server = null;
        public ?array $cookie = null;
        public ?array $get = null;
        public ?array $files = null;
        public ?array $post = null;

        private function __construct() {}

        public function getContent(): string|false {}

        /** @implementation-alias Tide\Http\Request::getContent */
        public function rawContent(): string|false {}

        public function getData(): string|false {}

        public function getMethod(): string|false {}

        /**
         * A request to fill from raw bytes with parse() (Swoole's Request::create()): options
         * parse_cookie, parse_body, package_max_length, upload_max_filesize,
         * http_max_header_size (and Swoole's parse_files, enable_compression,
         * compression_level, accepted).
         */
        public static function create(array $options = []): Request {}

        /** Feeds bytes of the request: how many were its, or false for a malformed one. */
        public function parse(string $data): int|false {}

        /** Whether parse() has the whole request (a request from a server: true). */
        public function isCompleted(): bool {}
    }

    /** @not-serializable */
    class Response
    {
        public int $fd = 0;

        private function __construct() {}

        public function status(int $code, string $reason = ""): bool {}

        /** @implementation-alias Tide\Http\Response::status */
        public function setStatusCode(int $code, string $reason = ""): bool {}

        public function header(string $key, string|array $value, bool $format = true): bool {}

        /** @implementation-alias Tide\Http\Response::header */
        public function setHeader(string $key, string|array $value, bool $format = true): bool {}

        /** Forgets the headers, cookies and trailers set so far (not the status). */
        public function initHeader(): bool {}

        /** A Set-Cookie line: from the arguments, or from a Cookie object (its own encode flag). */
        public function cookie(Cookie|string $name, string $value = "", int $expires = 0, string $path = "",
                               string $domain = "", bool $secure = false, bool $httponly = false,
                               string $samesite = "", string $priority = "", bool $partitioned = false): bool {}

        /** @implementation-alias Tide\Http\Response::cookie */
        public function setCookie(Cookie|string $name, string $value = "", int $expires = 0, string $path = "",
                                  string $domain = "", bool $secure = false, bool $httponly = false,
                                  string $samesite = "", string $priority = "", bool $partitioned = false): bool {}

        public function rawcookie(string $name, string $value = "", int $expires = 0, string $path = "",
                                  string $domain = "", bool $secure = false, bool $httponly = false,
                                  string $samesite = "", string $priority = "", bool $partitioned = false): bool {}

        /** @implementation-alias Tide\Http\Response::rawcookie */
        public function setRawCookie(string $name, string $value = "", int $expires = 0, string $path = "",
                                     string $domain = "", bool $secure = false, bool $httponly = false,
                                     string $samesite = "", string $priority = "", bool $partitioned = false): bool {}

        /** A trailer field, sent after the last chunk of a chunked (HTTP/1.1) body. */
        public function trailer(string $key, string $value): bool {}

        public function write(string $data): bool {}

        public function end(?string $content = null): bool {}

        public function sendfile(string $filename, int $offset = 0, int $length = 0): bool {}

        public function redirect(string $location, int $http_code = 302): bool {}

        public function detach(): bool {}

        public static function create(\Tide\Server|int $server, int $fd = -1): Response|false {}

        public function isWritable(): bool {}

        public function upgrade(): bool {}

        /** Closes the connection now, whatever was said of it (Swoole's close()). */
        public function close(): bool {}

        /**
         * Tide\Coroutine\Http\Server, after upgrade(): the next WebSocket message, '' once
         * the client closed the connection, false at the timeout (0: the server's
         * heartbeat_idle_time, none without it; below 0: none) or for a bad frame.
         */
        public function recv(float $timeout = 0): \Tide\WebSocket\Frame|string|false {}

        /** Tide\Coroutine\Http\Server, after upgrade(): sends a message (or a Frame). */
        public function push(\Tide\WebSocket\Frame|string $data, int $opcode = \Tide\WebSocket\OPCODE_TEXT,
                             int $flags = \Tide\WebSocket\FLAG_FIN): bool {}

        /** Tide\Coroutine\Http\Server, after upgrade(): sends a ping. */
        public function ping(string $data = ""): bool {}

        /** Tide\Coroutine\Http\Server, after upgrade(): sends a close frame. */
        public function disconnect(int $code = \Tide\WebSocket\CLOSE_NORMAL, string $reason = ""): bool {}
    }

    /**
     * A Set-Cookie line to build: each with*() sets a field and returns the same object.
     * @not-serializable
     * @strict-properties
     */
    class Cookie
    {
        public function __construct(bool $encode = true) {}

        public function withName(string $name): Cookie {}

        public function withValue(string $value = ""): Cookie {}

        public function withExpires(int $expires = 0): Cookie {}

        public function withPath(string $path = "/"): Cookie {}

        public function withDomain(string $domain = ""): Cookie {}

        public function withSecure(bool $secure = false): Cookie {}

        public function withHttpOnly(bool $httpOnly = false): Cookie {}

        public function withSameSite(string $sameSite = ""): Cookie {}

        public function withPriority(string $priority = ""): Cookie {}

        public function withPartitioned(bool $partitioned = false): Cookie {}

        public function toArray(): array {}

        public function toString(): string {}

        public function reset(): void {}
    }
}
