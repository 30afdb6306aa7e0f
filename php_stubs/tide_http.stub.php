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
    }

    /** @not-serializable */
    class Response
    {
        public int $fd = 0;

        private function __construct() {}

        public function status(int $code, string $reason = ""): bool {}

        public function header(string $key, string|array $value, bool $format = true): bool {}

        public function cookie(string $name, string $value = "", int $expires = 0, string $path = "",
                               string $domain = "", bool $secure = false, bool $httponly = false,
                               string $samesite = "", string $priority = ""): bool {}

        public function rawcookie(string $name, string $value = "", int $expires = 0, string $path = "",
                                  string $domain = "", bool $secure = false, bool $httponly = false,
                                  string $samesite = "", string $priority = ""): bool {}

        public function write(string $data): bool {}

        public function end(?string $content = null): bool {}

        public function sendfile(string $filename, int $offset = 0, int $length = 0): bool {}

        public function redirect(string $location, int $http_code = 302): bool {}

        public function detach(): bool {}

        public static function create(\Tide\Server|int $server, int $fd = -1): Response|false {}

        public function isWritable(): bool {}

        public function upgrade(): bool {}
    }
}
