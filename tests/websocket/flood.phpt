--TEST--
WebSocket bounds against hostile clients: pushes to a client that never reads fill at most buffer_output_size, then push() returns false (the server does not grow); a client that floods messages (and pings) without reading its echoes or pongs is held back by the bound on messages in flight, the server's memory stays near idle, and a bystander is answered throughout; both modes
--FILE--
<?php
require __DIR__ . '/../inc/websocket.inc';

$server = <<<'PHP'
    $s = new Tide\WebSocket\Server('127.0.0.1', 0, TIDE_TEST_MODE);
    $s->set(['worker_num' => 1, 'log_level' => 1, 'buffer_output_size' => 1 << 20,
             'socket_buffer_size' => 256 << 10]);
    $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
    $s->on('message', function ($s, $f) {
        if ($f->data === 'fill me') {
            $chunk = str_repeat('z', 65536);
            for ($i = 0; $i < 5000 && $s->push($f->fd, $chunk, Tide\WebSocket\OPCODE_BINARY); $i++) {
            }
            echo "pushes taken: $i\n";
            return;
        }
        $s->push($f->fd, "echo {$f->data}");
    });
    $s->start();
PHP;
function rss(TideServerProc $srv): int
{
    $kb = 0;
    foreach ([$srv->pid, ...TideServerProc::descendants($srv->pid)] as $pid) {
        $kb += max(0, tide_rss_kb($pid));
    }
    return $kb;
}
foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc($server, $mode);
    $srv->waitReady(1);
    $by = TideWsClient::connect($srv->port);
    $by->send('warm up');
    $by->recvMessage();
    $idle = rss($srv);
    echo "$name:\n";
    // 1. a client that never reads
    $slow = TideWsClient::connect($srv->port);
    stream_set_read_buffer($slow->c, 0);
    $slow->send('fill me');
    $srv->waitFor('pushes taken', 1, 20);
    preg_match('/pushes taken: (\d+)/', $srv->out(), $m);
    $taken = (int) $m[1];
    // 64 KiB each: the 1 MiB buffer, and what the two sockets' buffers hold
    echo "  slow reader: push() false after ", $taken < 5000 && $taken * 64 < 1024 + 2 * 8192 ? 'a bounded number of messages' : "$taken messages", "\n";
    $by->send('still there?');
    echo "  bystander: ", $by->recvMessage()[1], "\n";
    // 2. a client that floods without reading
    $flood = TideWsClient::connect($srv->port);
    $frame = TideWsClient::frame(0x81, str_repeat('m', 100)) . TideWsClient::frame(0x89, 'ping');
    $sent = $flood->flood(str_repeat($frame, 100), 3.0, 16 << 20);
    $by->send('and now?');
    echo "  flood of ", $sent > (1 << 20) ? 'megabytes' : "$sent bytes", "; bystander: ", $by->recvMessage()[1], "\n";
    $grown = rss($srv) - $idle;
    echo "  memory: ", $grown < 16 * 1024 ? 'near idle' : "grew by $grown kB", "\n";
    fclose($flood->c);
    fclose($slow->c);
    $by->send('bye');
    echo "  bystander after: ", $by->recvMessage()[1], "\n";
    $srv->stop();
}
?>
--EXPECT--
process:
  slow reader: push() false after a bounded number of messages
  bystander: echo still there?
  flood of megabytes; bystander: echo and now?
  memory: near idle
  bystander after: echo bye
base:
  slow reader: push() false after a bounded number of messages
  bystander: echo still there?
  flood of megabytes; bystander: echo and now?
  memory: near idle
  bystander after: echo bye
