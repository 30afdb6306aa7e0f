--TEST--
Server: send() to an unknown, closed or invalid fd returns false with a warning naming it; send() before start() throws Tide\Exception naming the method
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

$s = new Tide\Server('127.0.0.1', 0);
try {
    $s->send(1, 'x');
    echo "not started: no exception\n";
} catch (Tide\Exception $e) {
    echo "not started: ", get_class($e), ': ', $e->getMessage(), "\n";
}
unset($s);

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        function ready($s) { echo "READY {$s->ports[0]->port} {$s->worker_id} " . getmypid() . "\n"; }
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 2, 'open_eof_split' => true, 'package_eof' => "\n"]);
        $s->on('workerStart', fn($s, $id) => ready($s));
        $s->on('close', function ($s, $fd) {
            $warn = '';
            set_error_handler(function ($no, $msg) use (&$warn) { $warn = $msg; return true; });
            $r = $s->send($fd, "too late\n");
            restore_error_handler();
            echo "send in close $fd: ", json_encode($r), " [$warn]\n";
        });
        $s->on('receive', function ($s, $fd, $rid, $data) {
            $w = explode(' ', trim($data));
            if ($w[0] === 'me') {
                $s->send($fd, "$fd\n");
                return;
            }
            $res = [];
            foreach (array_slice($w, 1) as $to) {
                $warn = '';
                set_error_handler(function ($no, $msg) use (&$warn) { $warn = $msg; return true; });
                $r = $s->send((int) $to, 'x');
                restore_error_handler();
                $res[] = json_encode($r) . " [$warn]";
            }
            $res[] = 'empty to self: ' . json_encode($s->send($fd, ''));
            $s->send($fd, implode(' | ', $res) . "\n");
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(2);
    $c = tide_connect($srv->port);
    fwrite($c, "me\n");
    $me = (int) tide_read_until($c, "\n");
    $d = tide_connect($srv->port);
    fwrite($d, "me\n");
    $gone = (int) tide_read_until($d, "\n");
    fclose($d);
    $srv->waitFor("send in close $gone");
    $unknown = max($me, $gone) + 1000;
    fwrite($c, "send $unknown $gone 0 -5\n");
    $r = trim(tide_read_until($c, "\n"));
    echo "$name: ", str_replace(["#$unknown ", "#$gone "], ['#UNKNOWN ', '#GONE '], $r), "\n";
    $srv->stop();
    preg_match("/^send in close $gone: .*$/m", $srv->out(), $m);
    echo "$name: ", str_replace((string) $gone, 'GONE', $m[0] ?? 'no close event'), "\n";
}
?>
--EXPECT--
not started: Tide\Exception: Tide\Server::send() cannot be called before start()
process: false [Tide\Server::send(): connection #UNKNOWN does not exist] | false [Tide\Server::send(): connection #GONE does not exist] | false [Tide\Server::send(): connection #0 does not exist] | false [Tide\Server::send(): connection #-5 does not exist] | empty to self: true
process: send in close GONE: false [Tide\Server::send(): connection #GONE does not exist]
base: false [Tide\Server::send(): connection #UNKNOWN does not exist] | false [Tide\Server::send(): connection #GONE does not exist] | false [Tide\Server::send(): connection #0 does not exist] | false [Tide\Server::send(): connection #-5 does not exist] | empty to self: true
base: send in close GONE: false [Tide\Server::send(): connection #GONE does not exist]
