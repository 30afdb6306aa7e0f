--TEST--
Tide\Process: read() and write() inside a coroutine wait in that coroutine only, so other coroutines run meanwhile; a timeout ends a read() with false
--EXTENSIONS--
tide
--FILE--
<?php
require __DIR__ . '/process.inc';
use Tide\Coroutine;
use Tide\Process;

// the child answers each message once the parent says "go"
$p = new Process(function (Process $p) {
    while (($m = $p->read()) !== 'go') {}
    $p->write("answer");
});
tide_proc_track($p->start());

Tide\run(function () use ($p) {
    $ticks = 0;
    Tide\go(function () use (&$ticks) {
        for ($i = 0; $i < 5; $i++) { Coroutine::sleep(0.01); $ticks++; }
    });
    Tide\go(function () use ($p) {
        Coroutine::sleep(0.06);
        $p->write("go");
    });
    $p->setTimeout(10);
    $got = $p->read(); // suspends until the child answers
    echo "read: $got, ticks while waiting: $ticks\n";

    $p->setTimeout(0.05);
    $t = microtime(true);
    var_dump($p->read()); // the child has ended without writing again
    echo "timed out after about 0.05 s: ", microtime(true) - $t >= 0.04 ? "yes" : "no", "\n";
});
Process::wait();

// a full pipe: write() waits in the coroutine until the child reads, which it does only
// once another coroutine of the parent tells it to (on a second socket)
[$ctl, $childCtl] = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, 0);
$size = 4 << 20; // far more than a socket buffer
$q = new Process(function (Process $p) use ($childCtl, $size) {
    fread($childCtl, 1);
    $n = 0;
    while ($n < $size) { $n += strlen($p->read(min(1 << 20, $size - $n))); }
    $p->write("child read $n bytes");
}, false, Process::PIPE_TYPE_STREAM);
tide_proc_track($q->start());
Tide\run(function () use ($q, $ctl, $size) {
    $other = false;
    Tide\go(function () use (&$other, $ctl) {
        Coroutine::sleep(0.01);
        $other = true;
        fwrite($ctl, "g");
    });
    $sent = $q->write(str_repeat("y", $size));
    echo "wrote $sent, other coroutine ran meanwhile: ", $other ? "yes" : "no", "\n";
    $q->setTimeout(10);
    echo $q->read(), "\n";
});
Process::wait();
?>
--EXPECT--
read: answer, ticks while waiting: 5
bool(false)
timed out after about 0.05 s: yes
wrote 4194304, other coroutine ran meanwhile: yes
child read 4194304 bytes
