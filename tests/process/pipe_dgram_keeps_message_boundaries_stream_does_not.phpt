--TEST--
Tide\Process: the pipe carries messages both ways; SOCK_DGRAM (the default) keeps each write() one read(), SOCK_STREAM is a byte stream that ends when the child exits
--EXTENSIONS--
tide
--FILE--
<?php
require __DIR__ . '/process.inc';
use Tide\Process;

$p = new Process(function (Process $p) {
    $p->write("one");
    $p->write("two");
    $p->write(str_repeat("x", 5000));
    $p->write("got " . $p->read() . "|" . $p->read());
});
tide_proc_track($p->start());
$p->setTimeout(10);
var_dump($p->read(), $p->read(), strlen($p->read()));
$p->write("a");
$p->write("b");
var_dump($p->read());
var_dump(Process::wait()['code']);

$s = new Process(function (Process $p) {
    $p->write("one");
    $p->write("two");
    $p->write("three");
}, false, Process::PIPE_TYPE_STREAM);
tide_proc_track($s->start());
$s->setTimeout(10);
Process::wait(); // all three writes are in the pipe, and the child's end is closed
$all = '';
while (($chunk = $s->read(4)) !== '') {
    $all .= $chunk;
}
var_dump($all);

// a read() of $size returns at most $size bytes of a message; no pipe type 0
$n = new Process(function () {}, false, 0);
var_dump($n->pipe);
?>
--EXPECT--
string(3) "one"
string(3) "two"
int(5000)
string(7) "got a|b"
int(0)
string(11) "onetwothree"
NULL
