--TEST--
Tide\Event::add() takes an ext/sockets Socket and an int fd; each callback gets the value it was given, and a Socket read 1 byte at a time is called until drained
--EXTENSIONS--
tide
sockets
--FILE--
<?php
use Tide\Event;
socket_create_pair(AF_UNIX, SOCK_STREAM, 0, $p);
[$a, $b] = $p;
socket_write($b, "abc");
$got = '';
Event::add($a, function ($s) use ($a, &$got) {
    if ($s !== $a) echo "not the same Socket\n";
    $got .= socket_read($s, 1);
    if (strlen($got) == 3) Event::del($s);
});
Event::wait();
var_dump($got);

[$c, $d] = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, 0);
$fd = Event::add($c, fn() => null); // the number of $c
Event::del($c);
fwrite($d, "x");
Event::add($fd, function ($v) use ($fd) {
    var_dump($v === $fd);
    Event::del($v);
});
Event::wait();
?>
--EXPECT--
string(3) "abc"
bool(true)
