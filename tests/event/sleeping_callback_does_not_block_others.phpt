--TEST--
Tide\Event: a read callback that sleeps (hooked usleep) suspends only its coroutine: another fd's callback runs meanwhile, and the sleeping fd is not called again until its callback returns
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Event;
Tide\Runtime::enableCoroutine(Tide\HOOK_SLEEP);
[$a, $b] = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, 0);
[$c, $d] = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, 0);
stream_set_read_buffer($a, 0);
$log = [];
$calls = 0;
Event::add($a, function ($s) use (&$log, &$calls, $d) {
    $calls++;
    $log[] = "a start";
    fwrite($d, "wake c");
    usleep(50000);
    $log[] = "a read " . fread($s, 100);
    Event::del($s);
});
Event::add($c, function ($s) use (&$log) {
    $log[] = "c read " . fread($s, 100);
    Event::del($s);
});
fwrite($b, "x");
Event::wait();
echo implode("\n", $log), "\n";
var_dump($calls);
?>
--EXPECT--
a start
c read wake c
a read x
int(1)
