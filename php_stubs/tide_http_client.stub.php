<?php

/** @generate-class-entries */

namespace Tide\Coroutine\Http {
    /**
     * @strict-properties
     * @not-serializable
     */
    class Client
    {
        public int $errCode = 0;
        public string $errMsg = "";
        public bool $connected = false;
        public string $host = "";
        public int $port = 0;
        public bool $ssl = false;
        public ?array $setting = null;
        public ?string $requestMethod = null;
        public ?array $requestHeaders = null;
        public string|array|null $requestBody = null;
        public ?array $uploadFiles = null;
        public ?string $downloadFile = null;
        public int $downloadOffset = 0;
        public int $statusCode = 0;
        public ?array $headers = null;
        public ?array $set_cookie_headers = null;
        public ?array $cookies = null;
        public string $body = "";

        public function __construct(string $host, int $port = 0, bool $ssl = false) {}

        public function set(array $settings): bool {}

        public function setMethod(string $method): bool {}

        public function setHeaders(array $headers): bool {}

        public function setBasicAuth(string $username, #[\SensitiveParameter] string $password): void {}

        public function setCookies(array $cookies): bool {}

        public function setData(array|string $data): bool {}

        public function addFile(string $path, string $name, ?string $type = null, ?string $filename = null, int $offset = 0, int $length = 0): bool {}

        public function addData(string $data, string $name, ?string $type = null, ?string $filename = null): bool {}

        public function execute(string $path): bool {}

        public function get(string $path): bool {}

        public function post(string $path, mixed $data): bool {}

        public function download(string $path, string $file, int $offset = 0): bool {}

        public function getBody(): string|false {}

        public function getHeaders(): array|null|false {}

        public function getCookies(): array|null|false {}

        public function getStatusCode(): int|false {}

        public function getHeaderOut(): string|false {}

        public function getsockname(): array|false {}

        public function getpeername(): array|false {}

        public function upgrade(string $path): bool {}

        public function push(mixed $data, int $opcode = \Tide\WebSocket\OPCODE_TEXT, int $flags = \Tide\WebSocket\FLAG_FIN): bool {}

        public function recv(float $timeout = 0): \Tide\WebSocket\Frame|false {}

        public function ping(string $data = ""): bool {}

        public function disconnect(int $code = \Tide\WebSocket\CLOSE_NORMAL, string $reason = ""): bool {}

        public function close(): bool {}
    }
}
