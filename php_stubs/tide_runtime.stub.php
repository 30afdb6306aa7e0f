<?php

/** @generate-class-entries */

namespace Tide {
    /**
     * @var int
     * @cvalue PHP_TIDE_HOOK_TCP
     */
    const HOOK_TCP = UNKNOWN;
    /**
     * @var int
     * @cvalue PHP_TIDE_HOOK_UDP
     */
    const HOOK_UDP = UNKNOWN;
    /**
     * @var int
     * @cvalue PHP_TIDE_HOOK_UNIX
     */
    const HOOK_UNIX = UNKNOWN;
    /**
     * @var int
     * @cvalue PHP_TIDE_HOOK_UDG
     */
    const HOOK_UDG = UNKNOWN;
    /**
     * @var int
     * @cvalue PHP_TIDE_HOOK_SSL
     */
    const HOOK_SSL = UNKNOWN;
    /**
     * @var int
     * @cvalue PHP_TIDE_HOOK_TLS
     */
    const HOOK_TLS = UNKNOWN;
    /**
     * @var int
     * @cvalue PHP_TIDE_HOOK_STREAM_FUNCTION
     */
    const HOOK_STREAM_FUNCTION = UNKNOWN;
    /**
     * @var int
     * @cvalue PHP_TIDE_HOOK_FILE
     */
    const HOOK_FILE = UNKNOWN;
    /**
     * @var int
     * @cvalue PHP_TIDE_HOOK_SLEEP
     */
    const HOOK_SLEEP = UNKNOWN;
    /**
     * @var int
     * @cvalue PHP_TIDE_HOOK_PROC
     */
    const HOOK_PROC = UNKNOWN;
    /**
     * @var int
     * @cvalue PHP_TIDE_HOOK_DNS
     */
    const HOOK_DNS = UNKNOWN;
    /**
     * @var int
     * @cvalue PHP_TIDE_HOOK_CURL
     */
    const HOOK_CURL = UNKNOWN;
    /**
     * @var int
     * @cvalue PHP_TIDE_HOOK_ALL
     */
    const HOOK_ALL = UNKNOWN;

    /**
     * Which blocking PHP calls suspend only the calling coroutine (when made inside one);
     * outside a coroutine every call behaves as stock PHP. On (HOOK_ALL) by default.
     *
     * @strict-properties
     * @not-serializable
     */
    final class Runtime
    {
        /** Sets the hooks to $flags (a set of Tide\HOOK_*; 0 turns them all off). */
        public static function enableCoroutine(int $flags = HOOK_ALL): bool {}

        public static function getHookFlags(): int {}

        /** The same as enableCoroutine($flags). */
        public static function setHookFlags(int $flags): bool {}
    }
}
