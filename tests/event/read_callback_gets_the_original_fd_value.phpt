--TEST--
Tide\Event::add() returns the fd number and calls the read callback, in a coroutine, with the stream it was given when the peer writes
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Event;
[$a, $b] = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, 0);
$fd = Event::add($a, function ($s) use ($a) {
    var_dump($s === $a, Tide\Coroutine::getCid() > 0, fread($s, 100));
    Event::del($s);
});
var_dump(is_int($fd) && $fd > 2);
fwrite($b, "hello");
Event::wait();
echo "done\n";
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
string(5) "hello"
done
