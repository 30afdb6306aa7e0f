--TEST--
Server: sendMessage() between 2 workers and to itself (arrays, objects, large strings serialized), pipeMessage gets the source id; invalid ids throw ValueError; not before start() nor from the manager (Tide\Exception naming the method)
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

$s = new Tide\Server('127.0.0.1', 0);
$s->set(['worker_num' => 2]);
try {
    $s->sendMessage('x', 1);
    echo "not started: no exception\n";
} catch (Tide\Exception $e) {
    echo "not started: ", get_class($e), ': ', $e->getMessage(), "\n";
}
unset($s);

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        function ready($s) { echo "READY {$s->ports[0]->port} {$s->worker_id} " . getmypid() . "\n"; }
        class Point
        {
            public function __construct(public int $x = 0, public int $y = 0, public ?Point $next = null) {}
        }
        function describe($v): string
        {
            if (is_string($v) && strlen($v) > 100) return 'string(' . strlen($v) . ') ' . md5($v);
            return get_debug_type($v) . ' ' . json_encode($v);
        }
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 2, 'open_eof_split' => true, 'package_eof' => "\n"]);
        $s->on('workerStart', fn($s, $id) => ready($s));
        $s->on('managerStart', function ($s) {
            try {
                $s->sendMessage('from the manager', 0);
                echo "manager sendMessage: no exception\n";
            } catch (Tide\Exception $e) {
                echo "manager sendMessage: " . get_class($e) . ': ' . $e->getMessage() . "\n";
            }
        });
        $s->on('pipeMessage', function ($s, $src, $msg) {
            $fd = is_array($msg) ? $msg['fd'] : $msg->fd;
            $v = is_array($msg) ? $msg['v'] : $msg;
            if (is_object($v)) unset($v->fd);
            $s->send($fd, "pipe at {$s->worker_id} from $src: " . describe($v) . "\n");
        });
        $s->on('receive', function ($s, $fd, $rid, $data) {
            $me = $s->worker_id;
            $other = 1 - $me;
            $ok = [];
            $ok[] = $s->sendMessage(['fd' => $fd, 'v' => [1, 'two', ['three' => 3.5], null, true]], $other);
            $ok[] = $s->sendMessage(['fd' => $fd, 'v' => new Point(3, 4, new Point(5, 6))], $other);
            $o = new stdClass;
            $o->fd = $fd;
            $o->tag = 'std';
            $ok[] = $s->sendMessage($o, $other);
            $ok[] = $s->sendMessage(['fd' => $fd, 'v' => str_repeat('0123456789abcdef', 65536) . 'tail'], $other);
            $ok[] = $s->sendMessage(['fd' => $fd, 'v' => 'to myself'], $me);
            foreach ([-1, 2, 1000] as $bad) {
                try {
                    $s->sendMessage(['fd' => $fd], $bad);
                    $ok[] = "id $bad accepted";
                } catch (Throwable $e) {
                    $ok[] = get_class($e) . ': ' . $e->getMessage();
                }
            }
            $s->send($fd, 'sent ' . json_encode($ok) . "\n");
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(2);
    $c = tide_connect($srv->port);
    fwrite($c, "go\n");
    $buf = '';
    $deadline = microtime(true) + 8;
    while (substr_count($buf, "\n") < 6 && microtime(true) < $deadline) {
        $buf .= tide_read_until($c, "\n", max(0.1, $deadline - microtime(true)));
    }
    $lines = array_filter(explode("\n", $buf));
    preg_match('/^sent /m', $buf);
    $sent = preg_grep('/^sent /', $lines);
    $pipes = preg_grep('/^pipe at /', $lines);
    echo "$name: ", implode("\n$name: ", $sent), "\n";
    /* Which worker served the request: the one whose message to itself came back. */
    preg_match('/^pipe at (\d) from \1: string "to myself"$/m', $buf, $m);
    $me = $m[1] ?? '?';
    $other = $me === '?' ? '?' : 1 - (int) $me;
    $norm = array_map(fn($l) => str_replace(["at $me from $me", "at $other from $me"], ['at SELF from SELF', 'at OTHER from SELF'], $l), $pipes);
    sort($norm);
    echo "$name: ", implode("\n$name: ", $norm), "\n";
    $srv->stop();
    preg_match('/^manager sendMessage: .*$/m', $srv->out(), $m);
    echo "$name: ", $m[0] ?? 'no managerStart line', "\n";
}
?>
--EXPECT--
not started: Tide\Exception: Tide\Server::sendMessage() cannot be called before start()
process: sent [true,true,true,true,true,"ValueError: Tide\\Server::sendMessage(): Argument #2 ($dstWorkerId) must be a worker id between 0 and 1","ValueError: Tide\\Server::sendMessage(): Argument #2 ($dstWorkerId) must be a worker id between 0 and 1","ValueError: Tide\\Server::sendMessage(): Argument #2 ($dstWorkerId) must be a worker id between 0 and 1"]
process: pipe at OTHER from SELF: Point {"x":3,"y":4,"next":{"x":5,"y":6,"next":null}}
process: pipe at OTHER from SELF: array [1,"two",{"three":3.5},null,true]
process: pipe at OTHER from SELF: stdClass {"tag":"std"}
process: pipe at OTHER from SELF: string(1048580) 215c6b0ba9b8ed70da98ffa745c939b6
process: pipe at SELF from SELF: string "to myself"
process: manager sendMessage: Tide\Exception: Tide\Server::sendMessage() can only be called from a worker, not from the manager process
base: sent [true,true,true,true,true,"ValueError: Tide\\Server::sendMessage(): Argument #2 ($dstWorkerId) must be a worker id between 0 and 1","ValueError: Tide\\Server::sendMessage(): Argument #2 ($dstWorkerId) must be a worker id between 0 and 1","ValueError: Tide\\Server::sendMessage(): Argument #2 ($dstWorkerId) must be a worker id between 0 and 1"]
base: pipe at OTHER from SELF: Point {"x":3,"y":4,"next":{"x":5,"y":6,"next":null}}
base: pipe at OTHER from SELF: array [1,"two",{"three":3.5},null,true]
base: pipe at OTHER from SELF: stdClass {"tag":"std"}
base: pipe at OTHER from SELF: string(1048580) 215c6b0ba9b8ed70da98ffa745c939b6
base: pipe at SELF from SELF: string "to myself"
base: manager sendMessage: Tide\Exception: Tide\Server::sendMessage() can only be called from a worker, not from the manager process
