--TEST--
Tide\Event::isset() says whether an fd is watched, for READ, WRITE or either (the default)
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Event;
[$a, $b] = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, 0);
var_dump(Event::isset($a));
Event::add($a, fn($s) => null);
var_dump(Event::isset($a), Event::isset($a, Event::READ), Event::isset($a, Event::WRITE));
Event::set($a, null, fn($s) => null, Event::WRITE);
var_dump(Event::isset($a, Event::READ), Event::isset($a, Event::WRITE));
Event::del($a);
var_dump(Event::isset($a), Event::READ, Event::WRITE);
?>
--EXPECT--
bool(false)
bool(true)
bool(true)
bool(false)
bool(false)
bool(true)
bool(false)
int(512)
int(1024)
