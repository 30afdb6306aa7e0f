--TEST--
Tide\Event read callbacks are level-triggered: a callback that reads 1 byte of 10 is called 10 times, also on io_uring's edge-triggered poll
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Event;
[$a, $b] = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, 0);
stream_set_read_buffer($a, 0); // fread() takes from the socket only what it returns
fwrite($b, "0123456789");
$got = '';
$calls = 0;
Event::add($a, function ($s) use (&$got, &$calls) {
    $calls++;
    $got .= fread($s, 1);
    if (strlen($got) == 10)
        Event::del($s);
});
Event::wait();
var_dump($calls, $got);
?>
--EXPECT--
int(10)
string(10) "0123456789"
