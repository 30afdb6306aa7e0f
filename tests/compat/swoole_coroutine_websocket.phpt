--TEST--
tide.swoole_compat=On: Swoole's coroutine WebSocket server program (Co\Http\Server, $ws->upgrade(), a recv() loop with push(), '' when the client is gone, a CloseFrame for its close) runs unchanged with use function Swoole\Coroutine\run; recv() with a timeout (a message half read before it is kept), ping(), disconnect() then the client's answering close; push() to a stored response from another connection's handler (a broadcast) and from a coroutine that outlives the handler; shutdown() ends a handler waiting in recv(); an unmasked frame, a close frame of 1 byte or with code 1005 are answered with close 1002, text or a close reason that is not UTF-8 with 1007, a message over package_max_length (one frame, or fragments) with 1009, memory stays near idle and a bystander is answered; push() outside such a response warns
--INI--
tide.swoole_compat=On
--EXTENSIONS--
tide
--FILE--
<?php
use Swoole\Coroutine\Http\Client;
use Swoole\Coroutine\Http\Server;
use Swoole\Http\Request;
use Swoole\Http\Response;
use Swoole\WebSocket\CloseFrame;
use function Swoole\Coroutine\run;

/* What the server's handlers say, printed at the end (counted: they run beside the client,
 * so their order against the client's lines is not fixed). */
$GLOBALS['log'] = [];
function say(string $line): void
{
    $GLOBALS['log'][] = $line;
    $GLOBALS['said']?->push(true); /* (lets the end wait for every line, without polling) */
}

/* A client's frame (masked unless told otherwise). */
function frame(int $op, string $data, bool $fin = true, bool $mask = true, ?int $len = null): string
{
    $len ??= strlen($data);
    $h = chr(($fin ? 0x80 : 0) | $op);
    $m = $mask ? 0x80 : 0;
    if ($len < 126) {
        $h .= chr($m | $len);
    } elseif ($len < 65536) {
        $h .= chr($m | 126) . pack('n', $len);
    } else {
        $h .= chr($m | 127) . pack('J', $len);
    }
    if (!$mask) {
        return $h . $data;
    }
    $key = random_bytes(4);
    return $h . $key . ($data ^ str_repeat($key, intdiv(strlen($data), 4) + 1));
}

/* A raw connection that did the handshake. */
function raw(int $port): Swoole\Coroutine\Client
{
    $c = new Swoole\Coroutine\Client(SWOOLE_SOCK_TCP);
    $c->connect('127.0.0.1', $port, 3);
    $c->send("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
             . "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    $head = '';
    while (!str_contains($head, "\r\n\r\n") && ($d = $c->recv(3)) !== '' && $d !== false) {
        $head .= $d;
    }
    return $c;
}

/* The close code the server sent on a raw connection, or what came instead. */
function close_code(Swoole\Coroutine\Client $c): string
{
    $in = '';
    while (($d = $c->recv(3)) !== '' && $d !== false) {
        $in .= $d;
    }
    return strlen($in) >= 4 && (ord($in[0]) & 0x0f) === 8 ? (string) unpack('n', substr($in, 2, 2))[1]
                                                           : 'got ' . bin2hex($in);
}

run(function () {
    $GLOBALS['said'] = new Swoole\Coroutine\Channel(64);
    $GLOBALS['after_done'] = new Swoole\Coroutine\Channel(1);
    $server = new Server('127.0.0.1', 0, false);
    $server->set(['package_max_length' => 1 << 20]);
    $server->handle('/ws', function (Request $request, Response $ws) {
        $ws->upgrade();
        while (true) {
            $frame = $ws->recv();
            if ($frame === '') {
                say("the client is gone");
                $ws->close();
                break;
            } elseif ($frame === false) {
                say('recv() false, errorCode: ' . swoole_strerror(swoole_last_error()));
                $ws->close();
                break;
            } elseif ($frame instanceof CloseFrame) {
                say("CloseFrame {$frame->code} '{$frame->reason}'");
                break;
            } elseif ($frame->data === 'timeout') {
                $r = $ws->recv(0.05);
                $ws->push('still here after recv(0.05) gave ' . var_export($r, true)
                          . ', ETIMEDOUT: ' . var_export(swoole_last_error() === 110, true));
            } elseif ($frame->data === 'ping me') {
                $ok = $ws->ping('p');
                $pong = $ws->recv(3); /* the client answered by itself */
                $ws->push("ping sent: " . var_export($ok, true) . ", then opcode {$pong->opcode} '{$pong->data}'");
            } elseif ($frame->data === 'bye') {
                $ok = $ws->disconnect(4000, 'bye');
                $after = $ws->push('after the close');
                $f = $ws->recv(3);
                say('disconnect() ' . var_export($ok, true) . ', push() after it ' . var_export($after, true)
                    . ", the client's answer: {$f->code}");
                break;
            } elseif ($frame->data === 'half') {
                $r = $ws->recv(0.2); /* only the first fragment has come */
                $ws->push('recv(0.2) gave ' . var_export($r, true) . '; then: ' . $ws->recv(3)->data);
            } elseif ($frame->data === 'listen') {
                $GLOBALS['listeners'][] = $ws;
                $ws->push('listening');
            } elseif ($frame->data === 'broadcast') {
                $n = 0;
                foreach ($GLOBALS['listeners'] as $l) {
                    $n += $l->push('news') ? 1 : 0;
                }
                $ws->push("broadcast to $n");
            } elseif ($frame->data === 'leave') {
                /* A coroutine that outlives the handler, waiting on the connection. */
                go(function () use ($ws) {
                    $after = $ws->recv();
                    $GLOBALS['after'] = [$after, $ws->push('late')];
                    $GLOBALS['after_done']->push(true);
                });
                return;
            } else {
                $ws->push("Hello {$frame->data}!");
                $ws->push(strlen($frame->data) . " bytes, opcode {$frame->opcode}", WEBSOCKET_OPCODE_TEXT);
            }
        }
    });
    $server->handle('/', fn(Request $req, Response $resp) => $resp->end('plain'));
    go(fn() => $server->start());
    $port = $server->port;

    $cli = new Client('127.0.0.1', $port);
    var_dump($cli->upgrade('/ws'), $cli->statusCode);
    /* (each recv() before the echo: the server's own lines come in between) */
    $cli->push('tide');
    $a = $cli->recv(3)->data;
    $b = $cli->recv(3)->data;
    echo "$a / $b\n";
    $cli->push(str_repeat('b', 70000), WEBSOCKET_OPCODE_BINARY);
    $a = $cli->recv(3)->data;
    $b = $cli->recv(3)->data;
    echo strlen($a), " / $b\n";
    $cli->push('timeout');
    echo $cli->recv(3)->data . "\n";
    $cli->push('ping me');
    echo $cli->recv(3)->data . "\n";
    $ok = $cli->ping('are you there');
    $f = $cli->recv(3);
    echo 'client ping: ' . var_export($ok, true) . ", answered with opcode {$f->opcode} '{$f->data}'\n";
    $cli->push(new CloseFrame()); /* a CloseFrame's code is 1000 unless set */
    $f = $cli->recv(3);
    echo 'the close answered: ' . var_export($f instanceof CloseFrame, true) . " {$f->code}\n";

    $cli = new Client('127.0.0.1', $port);
    $cli->upgrade('/ws');
    $cli->push('bye');
    $f = $cli->recv(3); /* answered by the client's recv() */
    echo "the server's close: {$f->code} '{$f->reason}'\n";

    /* A message whose first fragment came before recv()'s timeout. */
    $c = raw($port);
    $c->send(frame(WEBSOCKET_OPCODE_TEXT, 'half'));
    $c->send(frame(WEBSOCKET_OPCODE_TEXT, 'one ', fin: false));
    $c->recv(0.5); /* (nothing comes: the server's recv(0.2) times out meanwhile) */
    $c->send(frame(0, 'message'));
    $in = $c->recv(3);
    echo 'raw client got: ', substr($in, 2), "\n";
    $c->close();

    $a = new Client('127.0.0.1', $port);
    $a->upgrade('/ws');
    $a->push('listen');
    $a->recv(3);
    $b = new Client('127.0.0.1', $port);
    $b->upgrade('/ws');
    $b->push('broadcast');
    $news = $a->recv(3)->data;
    echo "listener got: $news; sender: ", $b->recv(3)->data, "\n";
    $a->close();
    $b->close();

    $c = new Client('127.0.0.1', $port);
    $c->upgrade('/ws');
    $c->push('leave');
    $GLOBALS['after_done']->pop(3);
    echo 'the coroutine that outlived the handler: recv() ', var_export($GLOBALS['after'][0] ?? null, true),
        ', push() ', var_export($GLOBALS['after'][1] ?? null, true), "\n";

    $cli = new Client('127.0.0.1', $port);
    $cli->upgrade('/ws');
    $cli->close();

    /* Hostile clients. */
    $idle = memory_get_usage();
    $c = raw($port);
    $c->send(frame(WEBSOCKET_OPCODE_TEXT, 'not masked', mask: false));
    echo 'unmasked frame: close ' . close_code($c) . "\n";
    $c = raw($port);
    $c->send(frame(WEBSOCKET_OPCODE_BINARY, '', len: 64 << 20)); /* a head that says 64 MiB */
    echo 'a frame of 64 MiB: close ' . close_code($c) . "\n";
    $c = raw($port);
    $c->send(frame(WEBSOCKET_OPCODE_CLOSE, 'x'));
    echo 'a close frame of 1 byte: close ' . close_code($c) . "\n";
    $c = raw($port);
    $c->send(frame(WEBSOCKET_OPCODE_CLOSE, pack('n', 1005)));
    echo 'a close frame with code 1005: close ' . close_code($c) . "\n";
    $c = raw($port);
    $c->send(frame(WEBSOCKET_OPCODE_TEXT, "caf\xe9"));
    echo 'text that is not UTF-8: close ' . close_code($c) . "\n";
    $c = raw($port);
    $c->send(frame(WEBSOCKET_OPCODE_CLOSE, pack('n', 1000) . "\xc3"));
    echo 'a close reason that is not UTF-8: close ' . close_code($c) . "\n";
    $c = raw($port);
    $piece = str_repeat('x', 60000);
    $c->send(frame(WEBSOCKET_OPCODE_BINARY, $piece, fin: false));
    for ($i = 0; $i < 40 && $c->send(frame(0, $piece, fin: false)); $i++) {
    }
    echo 'fragments past 1 MiB: close ' . close_code($c) . "\n";
    echo 'memory near idle: ', var_export(memory_get_usage() - $idle < 512 * 1024, true), "\n";

    $cli = new Client('127.0.0.1', $port);
    $cli->get('/');
    echo 'bystander: ', $cli->statusCode, ' ', $cli->body, "\n";

    $waiting = new Client('127.0.0.1', $port);
    $waiting->upgrade('/ws'); /* its handler waits in recv() */
    $waiting->push('tide');
    $waiting->recv(3);
    $waiting->recv(3);
    $server->shutdown();
    for ($i = 0; $i < 14; $i++) { /* every line the handlers say, each within 3 s */
        $GLOBALS['said']->pop(3);
    }
});
$counts = array_count_values($GLOBALS['log']);
ksort($counts);
foreach ($counts as $line => $n) {
    echo "server ($n): $line\n";
}

/* Outside Co\Http\Server's upgraded responses: a warning and false. */
$r = (new ReflectionClass(Swoole\Http\Response::class))->newInstanceWithoutConstructor();
var_dump($r->push('x'));
?>
--EXPECTF--
bool(true)
int(101)
Hello tide! / 4 bytes, opcode 1
70007 / 70000 bytes, opcode 2
still here after recv(0.05) gave false, ETIMEDOUT: true
ping sent: true, then opcode 10 'p'
client ping: true, answered with opcode 10 'are you there'
the close answered: true 1000
the server's close: 4000 'bye'
raw client got: recv(0.2) gave false; then: one message
listener got: news; sender: broadcast to 1
the coroutine that outlived the handler: recv() '', push() false
unmasked frame: close 1002
a frame of 64 MiB: close 1009
a close frame of 1 byte: close 1002
a close frame with code 1005: close 1002
text that is not UTF-8: close 1007
a close reason that is not UTF-8: close 1007
fragments past 1 MiB: close 1009
memory near idle: true
bystander: 200 plain
server (1): CloseFrame 1000 ''
server (1): disconnect() true, push() after it false, the client's answer: 4000
server (2): recv() false, errorCode: Invalid or incomplete multibyte or wide character
server (2): recv() false, errorCode: Message too long
server (3): recv() false, errorCode: Protocol error
server (5): the client is gone

Warning: Swoole\Http\Response::push(): push() needs a response of Tide\Coroutine\Http\Server switched to WebSocket by upgrade() (on Tide\WebSocket\Server, messages come to the 'message' event and go out with push()) in %s on line %d
bool(false)
