--TEST--
Runtime hooks, HOOK_STREAM_FUNCTION: stream_select() inside a coroutine waits on the reactor, so 5 coroutines each selecting on its own socket pair until a writer answers after 0.2 s finish together; it reports the ready streams as stock PHP does (the arrays keyed as given, only the ready ones left), times out as asked while other coroutines run, and with a zero timeout or the hook off is the stock function
--FILE--
<?php
use Tide\Coroutine;
use function Tide\go;

$done = [];
$t = microtime(true);
Tide\run(function () use (&$done) {
    for ($i = 0; $i < 5; $i++) {
        go(function () use ($i, &$done) {
            [$a, $b] = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, STREAM_IPPROTO_IP);
            [$c, $d] = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, STREAM_IPPROTO_IP);
            go(function () use ($d) {
                Coroutine::sleep(0.2);
                fwrite($d, "x");
            });
            $read = ['quiet' => $a, 'talks' => $c];
            $write = $except = null;
            $n = stream_select($read, $write, $except, 5);
            $done[$i] = "$n ready: " . implode(',', array_keys($read));
        });
    }
});
ksort($done);
echo "5 coroutines in stream_select: ", json_encode(array_unique($done)), ", together in about 0.2 s: ",
    var_export(microtime(true) - $t < 1.0, true), "\n";

Tide\run(function () {
    $ticks = 0;
    go(function () use (&$ticks) {
        for ($i = 0; $i < 5; $i++) {
            Coroutine::sleep(0.02);
            $ticks++;
        }
    });
    [$a, $b] = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, STREAM_IPPROTO_IP);
    $read = [$a];
    $write = $except = null;
    $t = microtime(true);
    $n = stream_select($read, $write, $except, 0, 300000);
    $took = microtime(true) - $t;
    echo "timeout: returned ", var_export($n, true), ", read array ", json_encode($read), ", after about 0.3 s: ",
        var_export($took >= 0.25 && $took < 1.0, true), ", the other coroutine ran meanwhile: ", var_export($ticks === 5, true), "\n";
    /* Writable at once, and a zero timeout. */
    $read = null;
    $write = [$a];
    echo "writable: ", stream_select($read, $write, $except, 1), "\n";
    $read = [$a];
    $write = null;
    echo "zero timeout, nothing to read: ", stream_select($read, $write, $except, 0), "\n";
});

Tide\Runtime::setHookFlags(Tide\HOOK_ALL & ~Tide\HOOK_STREAM_FUNCTION);
$t = microtime(true);
Tide\run(function () {
    for ($i = 0; $i < 2; $i++) {
        go(function () {
            [$a, $b] = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, STREAM_IPPROTO_IP);
            $read = [$a];
            $write = $except = null;
            stream_select($read, $write, $except, 0, 200000);
        });
    }
});
echo "hook off: two selects of 0.2 s take ", microtime(true) - $t >= 0.4 ? 'their sum' : 'less', "\n";
?>
--EXPECT--
5 coroutines in stream_select: ["1 ready: talks"], together in about 0.2 s: true
timeout: returned 0, read array [], after about 0.3 s: true, the other coroutine ran meanwhile: true
writable: 1
zero timeout, nothing to read: 0
hook off: two selects of 0.2 s take their sum
