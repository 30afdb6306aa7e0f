--TEST--
Tide\Event::del() stops the callbacks and lets Event::wait() return; a second del() and del() of an unknown fd return false; a watch keeps the loop alive until then
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Event;
[$a, $b] = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, 0);
$calls = 0;
Event::add($a, function ($s) use (&$calls) {
    $calls++;
    var_dump(Event::del($s), Event::del($s), Event::isset($s));
});
// the loop waits for the watch: the peer writes only after a while
Tide\Timer::after(20, function () use ($b) { fwrite($b, "xyz"); });
Event::wait();
var_dump($calls, Event::del(12345));
?>
--EXPECT--
bool(true)
bool(false)
bool(false)
int(1)
bool(false)
