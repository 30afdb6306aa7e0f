--TEST--
Tide\Event watches one fd for reading and writing at once: the write callback sends, the read callback gets the echo
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Event;
[$a, $b] = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, 0);
// the peer echoes what it reads
Event::add($b, function ($s) { $d = fread($s, 100); if ($d !== '') fwrite($s, strtoupper($d)); });
$fd = Event::add($a, function ($s) use ($b) {
    echo "read ", fread($s, 100), "\n";
    Event::del($s);
    Event::del($b);
}, function ($s) {
    echo "writable\n";
    fwrite($s, "hi");
    Event::set($s, null, null, Event::READ);
}, Event::READ | Event::WRITE);
var_dump(Event::isset($a, Event::READ), Event::isset($a, Event::WRITE));
Event::wait();
echo "done\n";
?>
--EXPECT--
bool(true)
bool(true)
writable
read HI
done
