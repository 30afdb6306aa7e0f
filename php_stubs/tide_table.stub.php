<?php

/** @generate-class-entries */

namespace Tide {
    /** @not-serializable */
    class Table implements \Iterator, \Countable
    {
        /**
         * @var int
         * @cvalue TIDE_TABLE_INT
         */
        const TYPE_INT = UNKNOWN;
        /**
         * @var int
         * @cvalue TIDE_TABLE_FLOAT
         */
        const TYPE_FLOAT = UNKNOWN;
        /**
         * @var int
         * @cvalue TIDE_TABLE_STRING
         */
        const TYPE_STRING = UNKNOWN;

        public function __construct(int $size, float $conflict_proportion = 0.2) {}

        public function column(string $name, int $type, int $size = 0): bool {}

        public function create(): bool {}

        public function destroy(): bool {}

        public function set(string $key, array $value): bool {}

        public function get(string $key, ?string $field = null): array|int|float|string|false {}

        public function exists(string $key): bool {}

        /** @implementation-alias Tide\Table::exists */
        public function exist(string $key): bool {}

        public function del(string $key): bool {}

        /** @implementation-alias Tide\Table::del */
        public function delete(string $key): bool {}

        public function incr(string $key, string $column, int|float $incrby = 1): int|float|false {}

        public function decr(string $key, string $column, int|float $decrby = 1): int|float|false {}

        public function count(): int {}

        public function getSize(): int {}

        public function getMemorySize(): int {}

        public function stats(): array|false {}

        public function current(): mixed {}

        public function key(): mixed {}

        public function next(): void {}

        public function rewind(): void {}

        public function valid(): bool {}
    }
}
