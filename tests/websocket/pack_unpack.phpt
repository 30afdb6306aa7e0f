--TEST--
WebSocket pack() and unpack(): frames of every length class, text, binary, control and close frames, FLAG_MASK (a client's frame, masked with a random key), FLAG_COMPRESS (a deflated payload with RSV1), a Frame or CloseFrame object as input; unpack() of a partial frame, of a reserved opcode or of garbage is false; bad arguments are ValueErrors
--FILE--
<?php
use Tide\WebSocket\{Server, Frame, CloseFrame};
use const Tide\WebSocket\{OPCODE_TEXT, OPCODE_BINARY, OPCODE_PING, OPCODE_CLOSE, FLAG_FIN, FLAG_MASK, FLAG_COMPRESS, FLAG_RSV1};

foreach ([0, 125, 126, 65535, 65536, 1 << 20] as $n) {
    $data = str_repeat('d', $n);
    $bin = Server::pack($data, OPCODE_BINARY);
    $head = strlen($bin) - $n;
    $f = Server::unpack($bin);
    echo "$n: head $head, ", $f->data === $data && $f->opcode === OPCODE_BINARY && $f->finish ? 'round trip' : 'broken', "\n";
}
$m = Server::pack('masked text', OPCODE_TEXT, FLAG_FIN | FLAG_MASK);
echo "masked: bit ", (ord($m[1]) & 0x80) ? 'set' : 'clear', ", payload ", substr($m, 6) === 'masked text' ? 'in clear' : 'masked', "\n";
$f = Server::unpack($m);
echo "  unpacked: '{$f->data}' flags {$f->flags}\n";
$z = Server::pack(str_repeat('zzz ', 1000), OPCODE_TEXT, FLAG_FIN | FLAG_COMPRESS);
echo "compressed: ", strlen($z), " bytes, RSV1 ", (ord($z[0]) & 0x40) ? 'set' : 'clear', "\n";
$f = Server::unpack($z);
echo "  unpacked flags ", $f->flags & (FLAG_COMPRESS | FLAG_RSV1) ? 'say compressed' : 'do not say', ", inflates to ",
    strlen(inflate_add(inflate_init(ZLIB_ENCODING_RAW), $f->data . "\0\0\xff\xff", ZLIB_SYNC_FLUSH)), " bytes\n";
$fr = new Frame;
$fr->data = 'from a Frame';
$fr->opcode = OPCODE_PING;
$f = Server::unpack(Server::pack($fr));
echo "Frame: ", get_class($f), " opcode {$f->opcode} '{$f->data}'\n";
$cf = new CloseFrame;
$cf->code = 4001;
$cf->reason = 'going';
$bytes = Server::pack($cf);
echo "CloseFrame: ", bin2hex($bytes), "\n";
$f = Server::unpack($bytes);
echo "  unpacked: ", get_class($f), " code {$f->code} reason '{$f->reason}'\n";
$full = Server::pack('abcdef');
foreach (['' => '', 'a partial frame' => substr($full, 0, 4), 'a header only' => substr($full, 0, 1),
          'reserved opcode' => chr(0x83) . chr(1) . 'x', 'garbage' => "\xff\xff\xff"] as $what => $b) {
    echo "unpack of $what: ", var_export(Server::unpack($b), true), "\n";
}
foreach ([fn() => Server::pack('x', 7), fn() => Server::pack(str_repeat('x', 126), OPCODE_PING),
          fn() => Server::pack('x', OPCODE_PING, 0), fn() => Server::pack('x', OPCODE_TEXT, 100),
          function () { $c = new CloseFrame; $c->code = 1006; Server::pack($c); }] as $bad) {
    try {
        $bad();
        echo "no error\n";
    } catch (ValueError $e) {
        echo get_class($e), ": ", $e->getMessage(), "\n";
    }
}
?>
--EXPECT--
0: head 2, round trip
125: head 2, round trip
126: head 4, round trip
65535: head 4, round trip
65536: head 10, round trip
1048576: head 10, round trip
masked: bit set, payload masked
  unpacked: 'masked text' flags 33
compressed: 44 bytes, RSV1 set
  unpacked flags say compressed, inflates to 4000 bytes
Frame: Tide\WebSocket\Frame opcode 9 'from a Frame'
CloseFrame: 88070fa1676f696e67
  unpacked: Tide\WebSocket\CloseFrame code 4001 reason 'going'
unpack of : false
unpack of a partial frame: false
unpack of a header only: false
unpack of reserved opcode: false
unpack of garbage: false
ValueError: Tide\WebSocket\Server::pack(): Argument #2 ($opcode) must be a Tide\WebSocket\OPCODE_* constant, 7 given
ValueError: Tide\WebSocket\Server::pack(): Argument #1 ($data) is a control frame (opcode 9): at most 125 bytes, with FLAG_FIN
ValueError: Tide\WebSocket\Server::pack(): Argument #1 ($data) is a control frame (opcode 9): at most 125 bytes, with FLAG_FIN
ValueError: Tide\WebSocket\Server::pack(): Argument #3 ($flags) must be Tide\WebSocket\FLAG_* constants, 100 given
ValueError: Tide\WebSocket\Server::pack(): Argument #1 ($data) is a CloseFrame whose code (1006) may not be sent (1000-1003, 1007-1014, 3000-4999)
