--TEST--
WebSocket permessage-deflate against the npm ws client (node), every message compressed (threshold 0, the empty one too): the answer to each offer (context takeover, client_no_context_takeover, server_no_context_takeover, server_max_window_bits=10, client_max_window_bits=9; the server always answers server_no_context_takeover), compressed messages of the client (Frame flags has FLAG_COMPRESS) inflated right with and without the client's context takeover, fragmented compressed messages, echoes pushed with FLAG_COMPRESS arriving compressed (RSV1, far fewer bytes on the wire) and readable by ws (a 1 KiB window when server_max_window_bits=10), and no extension when websocket_compression is off, in both modes
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
             'websocket_compression' => (bool) getenv('WS_COMPRESSION')]);
    $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
    $s->on('open', function ($s, $req) {
        echo "OPEN offer=" . ($req->header['sec-websocket-extensions'] ?? '-') . "\n";
    });
    $s->on('message', function ($s, WS\Frame $f) {
        echo "MSG op={$f->opcode} len=" . strlen($f->data) . " finish=" . (int) $f->finish /* one write */
             . " compressed=" . ($f->flags & WS\FLAG_COMPRESS ? 1 : 0) . "\n";
        $s->push($f->fd, $f->data, $f->opcode, WS\FLAG_FIN | WS\FLAG_COMPRESS);
    });
    $s->start();
PHP;

function show(array $r): void
{
    foreach ($r['events'] as $e) {
        switch ($e['ev']) {
        case 'open':
            $p = $e['params'] ?? [];
            ksort($p);
            echo "  answer '{$e['ext']}', ws accepted ", json_encode($p), "\n";
            break;
        case 'echo':
            echo "  echo {$e['type']} {$e['len']}: ", $e['ok'] ? 'same bytes' : 'DIFFERENT',
                 ', ', $e['rsv1'] ? 'compressed' : 'plain';
            if ($e['len'] >= 65536) {
                $w = $e['wire'];
                echo ', on the wire: ', match (true) {
                    $w * 8 < $e['len'] => 'under 1/8',
                    $w * 2 < $e['len'] => 'under 1/2',
                    $w * 10 > $e['len'] * 9 => 'over 9/10',
                    default => "$w bytes",
                };
            }
            echo "\n";
            break;
        case 'pong':
            echo "  pong '{$e['data']}'\n";
            break;
        case 'close':
            echo "  close {$e['code']}\n";
            break;
        default:
            echo '  ', json_encode($e), "\n";
        }
    }
    if ($r['status'] !== 0) {
        tide_child_dump($r);
    }
}

$steps = [
    ['send' => 'text', 'size' => 0],
    ['send' => 'text', 'size' => 125, 'kind' => 'repeat'],
    ['send' => 'text', 'size' => 125, 'kind' => 'repeat'],   /* with context takeover: a back-reference to the one before */
    ['send' => 'binary', 'size' => 65536],                   /* random: does not shrink */
    ['send' => 'binary', 'size' => 1 << 20, 'kind' => 'repeat'],  /* 16 MiB with the first offer */
    ['send' => 'binary', 'size' => 100000, 'kind' => 'blocks'], /* repeats 2000 bytes back */
    ['send' => 'text', 'size' => 100000, 'kind' => 'repeat', 'fragments' => [6, 100, 70000]],
    ['ping' => 'still there?'],
    ['close' => 1000],
];
$offers = [
    'context takeover' => [],
    'clientNoContextTakeover' => ['clientNoContextTakeover' => true],
    'serverNoContextTakeover' => ['serverNoContextTakeover' => true],
    'serverMaxWindowBits=10' => ['serverMaxWindowBits' => 10],
    'clientMaxWindowBits=9' => ['clientMaxWindowBits' => 9],
];

foreach (TIDE_MODES as $mode => $name) {
    echo "== $name\n";
    $srv = new TideServerProc(SERVER, $mode, ['WS_COMPRESSION' => 1]);
    register_shutdown_function(fn() => $srv->stop());
    $srv->waitReady(2);
    foreach ($offers as $label => $deflate) {
        echo "$label:\n";
        $mySteps = $steps;
        if ($deflate === []) {
            $mySteps[4]['size'] = 16 << 20;
        }
        $r = tide_ws_client(['url' => "ws://127.0.0.1:{$srv->port}/", 'deflate' => $deflate, 'steps' => $mySteps]);
        show($r);
        /* The server's lines for this connection: each message came compressed. */
        $srv->waitFor('MSG ', 7 * (array_search($label, array_keys($offers)) + 1), 5);
        $lines = preg_grep('/^(OPEN|MSG) /', explode("\n", $srv->out()));
        $mine = array_slice($lines, 8 * array_search($label, array_keys($offers)), 8);
        echo '  server: ', array_shift($mine), "\n";
        $seen = array_map(fn($l) => preg_replace('/^MSG op=(\d) len=(\d+) finish=1 compressed=1$/', '$1:$2', $l), $mine);
        echo '  server got, all compressed: ', implode(' ', $seen), "\n";
    }
    $srv->stop();
    echo trim($srv->err()) === '' ? '' : "server stderr:\n" . $srv->err();

    echo "websocket_compression off:\n";
    $srv = new TideServerProc(SERVER, $mode, ['WS_COMPRESSION' => 0]);
    register_shutdown_function(fn() => $srv->stop());
    $srv->waitReady(2);
    show(tide_ws_client(['url' => "ws://127.0.0.1:{$srv->port}/", 'deflate' => [], 'steps' => [
        ['send' => 'text', 'size' => 70000, 'kind' => 'repeat'], ['close' => 1000]]]));
    $srv->waitFor('MSG ', 1, 5);
    echo '  server: ', implode(' ', preg_grep('/^(OPEN|MSG) /', explode("\n", $srv->out()))), "\n";
    $srv->stop();
    echo trim($srv->err()) === '' ? '' : "server stderr:\n" . $srv->err();
}
?>
--EXPECT--
== process
context takeover:
  answer 'permessage-deflate; server_no_context_takeover', ws accepted {"server_no_context_takeover":true}
  echo text 0: same bytes, compressed
  echo text 125: same bytes, compressed
  echo text 125: same bytes, compressed
  echo binary 65536: same bytes, compressed, on the wire: over 9/10
  echo binary 16777216: same bytes, compressed, on the wire: under 1/8
  echo binary 100000: same bytes, compressed, on the wire: under 1/8
  echo text 100000: same bytes, compressed, on the wire: under 1/8
  pong 'still there?'
  close 1000
  server: OPEN offer=permessage-deflate; client_max_window_bits
  server got, all compressed: 1:0 1:125 1:125 2:65536 2:16777216 2:100000 1:100000
clientNoContextTakeover:
  answer 'permessage-deflate; server_no_context_takeover; client_no_context_takeover', ws accepted {"client_no_context_takeover":true,"server_no_context_takeover":true}
  echo text 0: same bytes, compressed
  echo text 125: same bytes, compressed
  echo text 125: same bytes, compressed
  echo binary 65536: same bytes, compressed, on the wire: over 9/10
  echo binary 1048576: same bytes, compressed, on the wire: under 1/8
  echo binary 100000: same bytes, compressed, on the wire: under 1/8
  echo text 100000: same bytes, compressed, on the wire: under 1/8
  pong 'still there?'
  close 1000
  server: OPEN offer=permessage-deflate; client_no_context_takeover; client_max_window_bits
  server got, all compressed: 1:0 1:125 1:125 2:65536 2:1048576 2:100000 1:100000
serverNoContextTakeover:
  answer 'permessage-deflate; server_no_context_takeover', ws accepted {"server_no_context_takeover":true}
  echo text 0: same bytes, compressed
  echo text 125: same bytes, compressed
  echo text 125: same bytes, compressed
  echo binary 65536: same bytes, compressed, on the wire: over 9/10
  echo binary 1048576: same bytes, compressed, on the wire: under 1/8
  echo binary 100000: same bytes, compressed, on the wire: under 1/8
  echo text 100000: same bytes, compressed, on the wire: under 1/8
  pong 'still there?'
  close 1000
  server: OPEN offer=permessage-deflate; server_no_context_takeover; client_max_window_bits
  server got, all compressed: 1:0 1:125 1:125 2:65536 2:1048576 2:100000 1:100000
serverMaxWindowBits=10:
  answer 'permessage-deflate; server_no_context_takeover; server_max_window_bits=10', ws accepted {"server_max_window_bits":10,"server_no_context_takeover":true}
  echo text 0: same bytes, compressed
  echo text 125: same bytes, compressed
  echo text 125: same bytes, compressed
  echo binary 65536: same bytes, compressed, on the wire: over 9/10
  echo binary 1048576: same bytes, compressed, on the wire: under 1/2
  echo binary 100000: same bytes, compressed, on the wire: over 9/10
  echo text 100000: same bytes, compressed, on the wire: under 1/8
  pong 'still there?'
  close 1000
  server: OPEN offer=permessage-deflate; server_max_window_bits=10; client_max_window_bits
  server got, all compressed: 1:0 1:125 1:125 2:65536 2:1048576 2:100000 1:100000
clientMaxWindowBits=9:
  answer 'permessage-deflate; server_no_context_takeover', ws accepted {"client_max_window_bits":9,"server_no_context_takeover":true}
  echo text 0: same bytes, compressed
  echo text 125: same bytes, compressed
  echo text 125: same bytes, compressed
  echo binary 65536: same bytes, compressed, on the wire: over 9/10
  echo binary 1048576: same bytes, compressed, on the wire: under 1/8
  echo binary 100000: same bytes, compressed, on the wire: under 1/8
  echo text 100000: same bytes, compressed, on the wire: under 1/8
  pong 'still there?'
  close 1000
  server: OPEN offer=permessage-deflate; client_max_window_bits=9
  server got, all compressed: 1:0 1:125 1:125 2:65536 2:1048576 2:100000 1:100000
websocket_compression off:
  answer '', ws accepted []
  echo text 70000: same bytes, plain, on the wire: over 9/10
  close 1000
  server: OPEN offer=permessage-deflate; client_max_window_bits MSG op=1 len=70000 finish=1 compressed=0
== base
context takeover:
  answer 'permessage-deflate; server_no_context_takeover', ws accepted {"server_no_context_takeover":true}
  echo text 0: same bytes, compressed
  echo text 125: same bytes, compressed
  echo text 125: same bytes, compressed
  echo binary 65536: same bytes, compressed, on the wire: over 9/10
  echo binary 16777216: same bytes, compressed, on the wire: under 1/8
  echo binary 100000: same bytes, compressed, on the wire: under 1/8
  echo text 100000: same bytes, compressed, on the wire: under 1/8
  pong 'still there?'
  close 1000
  server: OPEN offer=permessage-deflate; client_max_window_bits
  server got, all compressed: 1:0 1:125 1:125 2:65536 2:16777216 2:100000 1:100000
clientNoContextTakeover:
  answer 'permessage-deflate; server_no_context_takeover; client_no_context_takeover', ws accepted {"client_no_context_takeover":true,"server_no_context_takeover":true}
  echo text 0: same bytes, compressed
  echo text 125: same bytes, compressed
  echo text 125: same bytes, compressed
  echo binary 65536: same bytes, compressed, on the wire: over 9/10
  echo binary 1048576: same bytes, compressed, on the wire: under 1/8
  echo binary 100000: same bytes, compressed, on the wire: under 1/8
  echo text 100000: same bytes, compressed, on the wire: under 1/8
  pong 'still there?'
  close 1000
  server: OPEN offer=permessage-deflate; client_no_context_takeover; client_max_window_bits
  server got, all compressed: 1:0 1:125 1:125 2:65536 2:1048576 2:100000 1:100000
serverNoContextTakeover:
  answer 'permessage-deflate; server_no_context_takeover', ws accepted {"server_no_context_takeover":true}
  echo text 0: same bytes, compressed
  echo text 125: same bytes, compressed
  echo text 125: same bytes, compressed
  echo binary 65536: same bytes, compressed, on the wire: over 9/10
  echo binary 1048576: same bytes, compressed, on the wire: under 1/8
  echo binary 100000: same bytes, compressed, on the wire: under 1/8
  echo text 100000: same bytes, compressed, on the wire: under 1/8
  pong 'still there?'
  close 1000
  server: OPEN offer=permessage-deflate; server_no_context_takeover; client_max_window_bits
  server got, all compressed: 1:0 1:125 1:125 2:65536 2:1048576 2:100000 1:100000
serverMaxWindowBits=10:
  answer 'permessage-deflate; server_no_context_takeover; server_max_window_bits=10', ws accepted {"server_max_window_bits":10,"server_no_context_takeover":true}
  echo text 0: same bytes, compressed
  echo text 125: same bytes, compressed
  echo text 125: same bytes, compressed
  echo binary 65536: same bytes, compressed, on the wire: over 9/10
  echo binary 1048576: same bytes, compressed, on the wire: under 1/2
  echo binary 100000: same bytes, compressed, on the wire: over 9/10
  echo text 100000: same bytes, compressed, on the wire: under 1/8
  pong 'still there?'
  close 1000
  server: OPEN offer=permessage-deflate; server_max_window_bits=10; client_max_window_bits
  server got, all compressed: 1:0 1:125 1:125 2:65536 2:1048576 2:100000 1:100000
clientMaxWindowBits=9:
  answer 'permessage-deflate; server_no_context_takeover', ws accepted {"client_max_window_bits":9,"server_no_context_takeover":true}
  echo text 0: same bytes, compressed
  echo text 125: same bytes, compressed
  echo text 125: same bytes, compressed
  echo binary 65536: same bytes, compressed, on the wire: over 9/10
  echo binary 1048576: same bytes, compressed, on the wire: under 1/8
  echo binary 100000: same bytes, compressed, on the wire: under 1/8
  echo text 100000: same bytes, compressed, on the wire: under 1/8
  pong 'still there?'
  close 1000
  server: OPEN offer=permessage-deflate; client_max_window_bits=9
  server got, all compressed: 1:0 1:125 1:125 2:65536 2:1048576 2:100000 1:100000
websocket_compression off:
  answer '', ws accepted []
  echo text 70000: same bytes, plain, on the wire: over 9/10
  close 1000
  server: OPEN offer=permessage-deflate; client_max_window_bits MSG op=1 len=70000 finish=1 compressed=0