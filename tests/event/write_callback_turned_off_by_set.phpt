--TEST--
Tide\Event write callbacks fire while the fd is writable, and Event::set() with READ only turns them off (null keeps the read callback)
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Event;
[$a, $b] = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, 0);
$writes = 0;
$read = function ($s) { echo "read ", fread($s, 10), "\n"; Event::del($s); };
Event::add($a, $read, function ($s) use (&$writes, $b) {
    if (++$writes == 3) {
        var_dump(Event::set($s, null, null, Event::READ));
        var_dump(Event::isset($s, Event::WRITE), Event::isset($s, Event::READ));
        fwrite($b, "ping");
    }
}, Event::WRITE);
var_dump(Event::isset($a, Event::WRITE), Event::isset($a, Event::READ));
Event::wait();
var_dump($writes);
?>
--EXPECT--
bool(true)
bool(false)
bool(true)
bool(false)
bool(true)
read ping
int(3)
