--TEST--
Tide\Event: a stream closed without Event::del() does not keep a watch: the next event (or the periodic check) warns and removes it, its fd number can be added again, and Event::wait() returns
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Event;
[$a, $b] = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, 0);
$fd = Event::add($a, fn($s) => print("never\n"));
fclose($a);
// the number is handed out again: adding it replaces the stale watch
[$c, $d] = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, 0);
var_dump(Event::add($c, function ($s) { echo "c: ", fread($s, 10), "\n"; Event::del($s); }) === $fd);
fwrite($d, "new");
Event::wait();
// closed without del() and never ready again: the check removes it, wait() returns
[$e, $f] = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, 0);
Event::add($e, fn($s) => print("never\n"));
fclose($e);
Event::wait();
var_dump(Event::isset($fd));
echo "done\n";
?>
--EXPECTF--
Warning: Tide\Event::add(): fd %d was closed without Tide\Event::del(): its watch is removed in %s on line %d
bool(true)
c: new

Warning: Tide\Event::wait(): fd %d was closed without Tide\Event::del(): its watch is removed in %s on line %d
bool(false)
done
