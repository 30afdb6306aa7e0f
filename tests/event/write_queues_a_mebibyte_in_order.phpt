--TEST--
Tide\Event::write() queues 1 MiB in 4 KiB chunks for a peer that reads 1000 bytes per callback: everything arrives, in order
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Event;
[$a, $b] = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, 0);
stream_set_read_buffer($b, 0);
$sent = '';
Event::add($a, fn($s) => null);
for ($i = 0; $i < 256; $i++) {
    $chunk = str_repeat(chr(65 + $i % 26), 4095) . "\n";
    $sent .= $chunk;
    if (!Event::write($a, $chunk)) { echo "write $i failed\n"; }
}
$got = '';
$calls = 0;
Event::add($b, function ($s) use (&$got, &$calls, $a) {
    $calls++;
    $got .= fread($s, 1000);
    if (strlen($got) >= 1 << 20) {
        Event::del($s);
        Event::del($a);
    }
});
Event::wait();
var_dump(strlen($got), $got === $sent, $calls >= 1049);
?>
--EXPECT--
int(1048576)
bool(true)
bool(true)
