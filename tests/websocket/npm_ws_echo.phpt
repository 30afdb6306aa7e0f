--TEST--
WebSocket against the npm ws client (node): text and binary echoes of every length class (0, 125, 126, 65535, 65536 and 16 MiB, each with its shortest length header), fragmented messages (a UTF-8 character split between fragments) reassembled into one message, ping answered by pong, the client's close code answered, a server disconnect() with code and reason, and no compression when the client did not offer it (push with FLAG_COMPRESS sends plain frames), in both modes
--SKIPIF--
<?php
require __DIR__ . '/../node/node.inc';
if ($why = tide_node_ws_missing()) die("skip $why");
?>
--FILE--
<?php
require __DIR__ . '/../node/node.inc';

const SERVER = <<<'PHP'
    use Tide\WebSocket as WS;
    $s = new Tide\WebSocket\Server('127.0.0.1', 0, TIDE_TEST_MODE);
    $s->set(['worker_num' => 2, 'package_max_length' => 32 << 20, 'buffer_output_size' => 32 << 20,
             'websocket_compression' => true]);
    $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
    $s->on('open', function ($s, $req) {
        echo "OPEN {$req->server['request_uri']} ext=" . ($req->header['sec-websocket-extensions'] ?? '-') . "\n";
    });
    $s->on('message', function ($s, WS\Frame $f) {
        echo "MSG op={$f->opcode} len=" . strlen($f->data) . " finish=" . (int) $f->finish /* one write */
             . " compressed=" . ($f->flags & WS\FLAG_COMPRESS ? 1 : 0) . "\n";
        if ($f->data === 'disconnect me') {
            $s->disconnect($f->fd, 4001, 'bye from tide');
            return;
        }
        $s->push($f->fd, $f->data, $f->opcode, WS\FLAG_FIN | WS\FLAG_COMPRESS);
    });
    $s->start();
PHP;

function show(array $r): void
{
    foreach ($r['events'] as $e) {
        switch ($e['ev']) {
        case 'open':
            echo "open ext='{$e['ext']}' extensions='{$e['extensions']}'\n";
            break;
        case 'echo':
            echo "echo {$e['type']} {$e['len']}: ", $e['ok'] ? 'same bytes' : 'DIFFERENT',
                 ', header ', $e['wire'] - $e['len'], ' bytes, ', $e['rsv1'] ? 'COMPRESSED' : 'plain',
                 ", {$e['frames']} frame(s)\n";
            break;
        case 'pong':
            echo "pong '{$e['data']}'\n";
            break;
        case 'close':
            echo "close {$e['code']}", isset($e['reason']) && $e['reason'] !== '' ? " '{$e['reason']}'" : '', "\n";
            break;
        default:
            echo json_encode($e), "\n";
        }
    }
    if ($r['status'] !== 0) {
        tide_child_dump($r);
    }
}

$steps = [];
foreach (['text', 'binary'] as $type) {
    foreach ([0, 125, 126, 65535, 65536, 16 << 20] as $size) {
        $steps[] = ['send' => $type, 'size' => $size];
    }
}
/* fragments of 6, 100 and 70000 bytes, then the rest: the 6th byte is inside a 3-byte ✓ */
$steps[] = ['send' => 'text', 'size' => 100000, 'kind' => 'repeat', 'fragments' => [6, 100, 70000]];
$steps[] = ['send' => 'binary', 'size' => 70000, 'fragments' => [0, 1, 65536]];
$steps[] = ['ping' => 'are you there'];
$steps[] = ['ping' => ''];
$steps[] = ['send' => 'text', 'size' => 3, 'kind' => 'repeat'];
$steps[] = ['close' => 4000, 'reason' => 'done'];

foreach (TIDE_MODES as $mode => $name) {
    echo "== $name\n";
    $srv = new TideServerProc(SERVER, $mode);
    register_shutdown_function(fn() => $srv->stop());
    $srv->waitReady(2);
    $t0 = microtime(true);
    show(tide_ws_client(['url' => "ws://127.0.0.1:{$srv->port}/echo", 'steps' => $steps]));
    show(tide_ws_client(['url' => "ws://127.0.0.1:{$srv->port}/bye", 'steps' => [
        ['send' => 'text', 'data' => 'disconnect me', 'reply' => 'none'], ['waitClose' => true]]]));
    $srv->waitFor('MSG ', 16, 5); /* the 15 data messages of the first client, 1 of the second */
    echo "server:\n", preg_replace('/^(READY|OPEN|MSG) /m', '  $1 ', implode("\n",
        preg_grep('/^(OPEN|MSG) /', explode("\n", $srv->out())))), "\n";
    if (trim($srv->err()) !== '') {
        echo "server stderr:\n", $srv->err();
    }
    $srv->stop();
    if (microtime(true) - $t0 > 20) {
        echo "slow: ", round(microtime(true) - $t0, 1), " s\n";
    }
}
?>
--EXPECT--
== process
open ext='' extensions=''
echo text 0: same bytes, header 2 bytes, plain, 1 frame(s)
echo text 125: same bytes, header 2 bytes, plain, 1 frame(s)
echo text 126: same bytes, header 4 bytes, plain, 1 frame(s)
echo text 65535: same bytes, header 4 bytes, plain, 1 frame(s)
echo text 65536: same bytes, header 10 bytes, plain, 1 frame(s)
echo text 16777216: same bytes, header 10 bytes, plain, 1 frame(s)
echo binary 0: same bytes, header 2 bytes, plain, 1 frame(s)
echo binary 125: same bytes, header 2 bytes, plain, 1 frame(s)
echo binary 126: same bytes, header 4 bytes, plain, 1 frame(s)
echo binary 65535: same bytes, header 4 bytes, plain, 1 frame(s)
echo binary 65536: same bytes, header 10 bytes, plain, 1 frame(s)
echo binary 16777216: same bytes, header 10 bytes, plain, 1 frame(s)
echo text 100000: same bytes, header 10 bytes, plain, 1 frame(s)
echo binary 70000: same bytes, header 10 bytes, plain, 1 frame(s)
pong 'are you there'
pong ''
echo text 3: same bytes, header 2 bytes, plain, 1 frame(s)
close 4000
open ext='' extensions=''
close 4001 'bye from tide'
server:
  OPEN /echo ext=-
  MSG op=1 len=0 finish=1 compressed=0
  MSG op=1 len=125 finish=1 compressed=0
  MSG op=1 len=126 finish=1 compressed=0
  MSG op=1 len=65535 finish=1 compressed=0
  MSG op=1 len=65536 finish=1 compressed=0
  MSG op=1 len=16777216 finish=1 compressed=0
  MSG op=2 len=0 finish=1 compressed=0
  MSG op=2 len=125 finish=1 compressed=0
  MSG op=2 len=126 finish=1 compressed=0
  MSG op=2 len=65535 finish=1 compressed=0
  MSG op=2 len=65536 finish=1 compressed=0
  MSG op=2 len=16777216 finish=1 compressed=0
  MSG op=1 len=100000 finish=1 compressed=0
  MSG op=2 len=70000 finish=1 compressed=0
  MSG op=1 len=3 finish=1 compressed=0
  OPEN /bye ext=-
  MSG op=1 len=13 finish=1 compressed=0
== base
open ext='' extensions=''
echo text 0: same bytes, header 2 bytes, plain, 1 frame(s)
echo text 125: same bytes, header 2 bytes, plain, 1 frame(s)
echo text 126: same bytes, header 4 bytes, plain, 1 frame(s)
echo text 65535: same bytes, header 4 bytes, plain, 1 frame(s)
echo text 65536: same bytes, header 10 bytes, plain, 1 frame(s)
echo text 16777216: same bytes, header 10 bytes, plain, 1 frame(s)
echo binary 0: same bytes, header 2 bytes, plain, 1 frame(s)
echo binary 125: same bytes, header 2 bytes, plain, 1 frame(s)
echo binary 126: same bytes, header 4 bytes, plain, 1 frame(s)
echo binary 65535: same bytes, header 4 bytes, plain, 1 frame(s)
echo binary 65536: same bytes, header 10 bytes, plain, 1 frame(s)
echo binary 16777216: same bytes, header 10 bytes, plain, 1 frame(s)
echo text 100000: same bytes, header 10 bytes, plain, 1 frame(s)
echo binary 70000: same bytes, header 10 bytes, plain, 1 frame(s)
pong 'are you there'
pong ''
echo text 3: same bytes, header 2 bytes, plain, 1 frame(s)
close 4000
open ext='' extensions=''
close 4001 'bye from tide'
server:
  OPEN /echo ext=-
  MSG op=1 len=0 finish=1 compressed=0
  MSG op=1 len=125 finish=1 compressed=0
  MSG op=1 len=126 finish=1 compressed=0
  MSG op=1 len=65535 finish=1 compressed=0
  MSG op=1 len=65536 finish=1 compressed=0
  MSG op=1 len=16777216 finish=1 compressed=0
  MSG op=2 len=0 finish=1 compressed=0
  MSG op=2 len=125 finish=1 compressed=0
  MSG op=2 len=126 finish=1 compressed=0
  MSG op=2 len=65535 finish=1 compressed=0
  MSG op=2 len=65536 finish=1 compressed=0
  MSG op=2 len=16777216 finish=1 compressed=0
  MSG op=1 len=100000 finish=1 compressed=0
  MSG op=2 len=70000 finish=1 compressed=0
  MSG op=1 len=3 finish=1 compressed=0
  OPEN /bye ext=-
  MSG op=1 len=13 finish=1 compressed=0
