--TEST--
Tide\Event wrong usage: a value without an fd is a TypeError, a negative fd or bad events a ValueError, adding an fd twice or writing to one not added returns false with a warning
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Event;
$try = function ($f) {
    try { var_dump($f()); } catch (Throwable $e) { echo get_class($e), ": ", $e->getMessage(), "\n"; }
};
$try(fn() => Event::add("3", fn() => 1));
$try(fn() => Event::add([], fn() => 1));
$try(fn() => Event::add(new stdClass, fn() => 1));
$try(fn() => Event::add(-1, fn() => 1));
$try(fn() => Event::add(STDIN, fn() => 1, null, 7));
$try(fn() => Event::add(STDIN));
$try(fn() => Event::add(STDIN, null, null, Event::WRITE));
$f = fopen('php://memory', 'r');
$try(fn() => Event::add($f, fn() => 1));
fclose($f);
$try(fn() => Event::add($f, fn() => 1));
[$a, $b] = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, 0);
$try(fn() => Event::write($a, "x"));
$try(fn() => Event::set($a, fn() => 1));
$try(fn() => is_int(Event::add($a, fn() => 1)));
$try(fn() => Event::add($a, fn() => 1));
$try(fn() => Event::set($a, null, null, Event::WRITE));
$try(fn() => Event::write($a, str_repeat("x", 9 << 20)));
$try(fn() => Event::del($a));
$try(fn() => Event::defer("no_such_function"));
$try(fn() => Event::cycle(42));
?>
--EXPECTF--
TypeError: Tide\Event::add(): Argument #1 ($fd) must be a file descriptor, a stream or a Socket, string given
TypeError: Tide\Event::add(): Argument #1 ($fd) must be a file descriptor, a stream or a Socket, array given
TypeError: Tide\Event::add(): Argument #1 ($fd) must be a file descriptor, a stream or a Socket, stdClass given
ValueError: Tide\Event::add(): Argument #1 ($fd) must be a file descriptor (>= 0), -1 given
ValueError: Tide\Event::add(): Argument #4 ($events) must be Tide\Event::READ, Tide\Event::WRITE or both
ValueError: Tide\Event::add(): Argument #2 ($read) must be a callable when $events has Tide\Event::READ
ValueError: Tide\Event::add(): Argument #3 ($write) must be a callable when $events has Tide\Event::WRITE
TypeError: Tide\Event::add(): Argument #1 ($fd) must be a stream with a file descriptor, MEMORY stream given
TypeError: Tide\Event::add(): supplied resource is not a valid stream resource

Warning: Tide\Event::write(): fd %d is not added (Tide\Event::add() first) in %s on line %d
bool(false)

Warning: Tide\Event::set(): fd %d is not added in %s on line %d
bool(false)
bool(true)

Warning: Tide\Event::add(): fd %d is already added in %s on line %d
bool(false)
ValueError: Tide\Event::set(): Argument #3 ($write) must be a callable when $events has Tide\Event::WRITE and fd %d has no write callback

Warning: Tide\Event::write(): fd %d: 0 bytes are queued already, and 9437184 more would pass the limit of 8388608 (wait for the peer to read) in %s on line %d
bool(false)
bool(true)
TypeError: Tide\Event::defer(): Argument #1 ($callback) must be a valid callback, function "no_such_function" not found or invalid function name
TypeError: Tide\Event::cycle(): Argument #1 ($callback) must be a valid callback or null, no array or string given
