--TEST--
WebSocket against the npm ws client (node), served by Tide\Coroutine\Http\Server's handler itself (Response::upgrade(), then a recv()/push() loop, as Swoole's coroutine server does it): text and binary echoes of every length class up to 16 MiB, fragmented messages reassembled (a UTF-8 character split between fragments), pings answered with pongs by recv(), the client's close code answered and handed to the handler as a CloseFrame, a disconnect() with code and reason
--SKIPIF--
<?php
require __DIR__ . '/../node/node.inc';
if ($why = tide_node_ws_missing()) die("skip $why");
?>
--FILE--
<?php
require __DIR__ . '/../node/node.inc';

$srv = new TideServerProc(<<<'PHP'
    use Tide\WebSocket as WS;
    Tide\run(function () {
        $server = new Tide\Coroutine\Http\Server('127.0.0.1', 0);
        $server->set(['package_max_length' => 32 << 20]);
        $server->handle('/', function (Tide\Http\Request $req, Tide\Http\Response $ws) {
            $ws->upgrade();
            echo "OPEN {$req->server['request_uri']}\n";
            while (($f = $ws->recv()) instanceof WS\Frame) {
                if ($f instanceof WS\CloseFrame) {
                    echo "CLOSE {$f->code} '{$f->reason}'\n";
                    break;
                }
                echo "MSG op={$f->opcode} len=" . strlen($f->data) . "\n";
                if ($f->data === 'disconnect me') {
                    $ws->disconnect(4001, 'bye from the handler');
                    break;
                }
                $ws->push($f->data, $f->opcode);
            }
            echo 'END ', var_export($f instanceof WS\Frame ? get_class($f) : $f, true), "\n";
        });
        echo 'READY ' . $server->port . ' 0 ' . getmypid() . "\n";
        $server->start();
    });
PHP);
register_shutdown_function(fn() => $srv->stop());
$srv->waitReady(1);

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
$steps[] = ['send' => 'text', 'size' => 3, 'kind' => 'repeat'];
$steps[] = ['close' => 4000, 'reason' => 'done'];

foreach ([['/echo', $steps],
          ['/bye', [['send' => 'text', 'data' => 'disconnect me', 'reply' => 'none'], ['waitClose' => true]]]]
         as [$path, $st]) {
    $r = tide_ws_client(['url' => "ws://127.0.0.1:{$srv->port}$path", 'steps' => $st]);
    foreach ($r['events'] as $e) {
        echo match ($e['ev']) {
            'open' => "open ext='{$e['ext']}'",
            'echo' => "echo {$e['type']} {$e['len']}: " . ($e['ok'] ? 'same bytes' : 'DIFFERENT')
                      . ', ' . ($e['rsv1'] ? 'COMPRESSED' : 'plain') . ", {$e['frames']} frame(s)",
            'pong' => "pong '{$e['data']}'",
            'close' => "close {$e['code']} '" . ($e['reason'] ?? '') . "'",
            default => json_encode($e),
        }, "\n";
    }
    if ($r['status'] !== 0) {
        tide_child_dump($r);
    }
}
$srv->waitFor('END ', 2, 5);
echo "server:\n", implode("\n", preg_grep('/^(OPEN|MSG|CLOSE|END) /', explode("\n", $srv->out()))), "\n";
echo $srv->err();
?>
--EXPECT--
open ext=''
echo text 0: same bytes, plain, 1 frame(s)
echo text 125: same bytes, plain, 1 frame(s)
echo text 126: same bytes, plain, 1 frame(s)
echo text 65535: same bytes, plain, 1 frame(s)
echo text 65536: same bytes, plain, 1 frame(s)
echo text 16777216: same bytes, plain, 1 frame(s)
echo binary 0: same bytes, plain, 1 frame(s)
echo binary 125: same bytes, plain, 1 frame(s)
echo binary 126: same bytes, plain, 1 frame(s)
echo binary 65535: same bytes, plain, 1 frame(s)
echo binary 65536: same bytes, plain, 1 frame(s)
echo binary 16777216: same bytes, plain, 1 frame(s)
echo text 100000: same bytes, plain, 1 frame(s)
echo binary 70000: same bytes, plain, 1 frame(s)
pong 'are you there'
echo text 3: same bytes, plain, 1 frame(s)
close 4000 ''
open ext=''
close 4001 'bye from the handler'
server:
OPEN /echo
MSG op=1 len=0
MSG op=1 len=125
MSG op=1 len=126
MSG op=1 len=65535
MSG op=1 len=65536
MSG op=1 len=16777216
MSG op=2 len=0
MSG op=2 len=125
MSG op=2 len=126
MSG op=2 len=65535
MSG op=2 len=65536
MSG op=2 len=16777216
MSG op=1 len=100000
MSG op=2 len=70000
MSG op=1 len=3
CLOSE 4000 'done'
END 'Tide\\WebSocket\\CloseFrame'
OPEN /bye
MSG op=1 len=13
END 'Tide\\WebSocket\\Frame'
