--TEST--
tide.swoole_compat=On: a Swoole\Event program (add with a read callback, Event::write, set with a write callback, del, swoole_event_* functions, SWOOLE_EVENT_* constants) runs unchanged
--INI--
tide.swoole_compat=On
--FILE--
<?php
use Swoole\Event;

[$fp, $peer] = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, 0);

// the "server": answers each line
swoole_event_add($peer, function ($peer) {
    $req = fread($peer, 8192);
    if ($req === '' || $req === false) { swoole_event_del($peer); return; }
    swoole_event_write($peer, "HTTP/1.1 200 OK\r\n\r\n" . strtoupper($req));
});

Event::add($fp, function ($fp) use ($peer) {
    $resp = fread($fp, 8192);
    Event::del($fp);
    Event::del($peer);
    echo "read_callback: ", trim(substr($resp, strpos($resp, "\r\n\r\n"))), "\n";
});

Event::set($fp, null, function ($fp) {
    echo "write_callback: SUCCESS\n";
    Event::set($fp, null, null, SWOOLE_EVENT_READ);
}, SWOOLE_EVENT_READ | SWOOLE_EVENT_WRITE);

var_dump(Event::isset($fp, SWOOLE_EVENT_WRITE), swoole_event_isset($fp, SWOOLE_EVENT_READ));
Event::write($fp, "get / http/1.1\r\n");
echo "Finish\n";
Event::wait();
var_dump(SWOOLE_EVENT_READ, SWOOLE_EVENT_WRITE, Event::isset($fp));
?>
--EXPECT--
bool(true)
bool(true)
Finish
write_callback: SUCCESS
read_callback: GET / HTTP/1.1
int(512)
int(1024)
bool(false)
