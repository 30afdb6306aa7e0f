--TEST--
Runtime hooks: a socket's watch kept between waits does not keep Tide\run() alive, survives from one Tide\run() to the next, goes with its stream (a number reused by a new socket works at once), and a coroutine waiting on a socket that another coroutine closes gets false at once
--FILE--
<?php
use Tide\Coroutine;
use function Tide\go;

[$a, $b] = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, STREAM_IPPROTO_IP);
for ($round = 1; $round <= 2; $round++) {
    $t = microtime(true);
    Tide\run(function () use ($a, $b, $round) {
        go(function () use ($b, $round) {
            Coroutine::sleep(0.05);
            fwrite($b, "round $round\n");
        });
        echo trim(fgets($a)), "\n";
    });
    echo "Tide\\run() #$round returned at once after its work: ", var_export(microtime(true) - $t < 1, true), "\n";
}

/* Closed: the number may come back for the next socket. */
$fd = (int) $a;
fclose($a);
fclose($b);
[$c, $d] = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, STREAM_IPPROTO_IP);
Tide\run(function () use ($c, $d) {
    go(function () use ($d) {
        Coroutine::sleep(0.05);
        fwrite($d, "new pair\n");
    });
    echo trim(fgets($c)), "\n";
});

/* Closed under a waiting coroutine. */
[$e, $f] = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, STREAM_IPPROTO_IP);
$t = microtime(true);
Tide\run(function () use ($e, $f) {
    go(function () use ($e) {
        $r = fread($e, 10);
        echo "the waiting read got ", var_export($r, true), "\n";
    });
    go(function () use (&$e) {
        Coroutine::sleep(0.05);
        fclose($e);
    });
});
echo "at once: ", var_export(microtime(true) - $t < 1, true), "\n";
?>
--EXPECT--
round 1
Tide\run() #1 returned at once after its work: true
round 2
Tide\run() #2 returned at once after its work: true
new pair
the waiting read got false
at once: true
