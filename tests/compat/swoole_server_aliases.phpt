--TEST--
tide.swoole_compat=On: Swoole\Server's exist(), connection_info(), connection_list(), getLastError(), heartbeat(), sendwait() and $server->connections as a Swoole\Connection\Iterator (count, isset, [$fd], foreach, read-only), and Swoole\Table::delete(), written as a Swoole user writes them, in both modes
--EXTENSIONS--
tide
--INI--
tide.swoole_compat=On
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

$t = new Swoole\Table(8);
$t->column('n', Swoole\Table::TYPE_INT);
$t->create();
$t->set('k', ['n' => 1]);
var_dump($t->delete('k'), $t->exists('k'), $t->delete('k'));

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        $s = new Swoole\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        /* heartbeat() alone decides: the periodic check comes once a day */
        $s->set(['worker_num' => 1, 'heartbeat_idle_time' => 1, 'heartbeat_check_interval' => 86400]);
        $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
        $s->on('receive', function (Swoole\Server $s, $fd, $rid, $data) {
            [$cmd, $arg] = explode(' ', trim($data), 2) + [1 => ''];
            switch ($cmd) {
            case 'info':
                $c = $s->connections;
                $keys = [];
                foreach ($c as $k => $id) {
                    $keys[] = $id;
                }
                sort($keys);
                try {
                    $c[$fd] = 1;
                } catch (Error $e) {
                    $set = get_class($e) . ': ' . $e->getMessage();
                }
                try {
                    unset($c[$fd]);
                } catch (Error $e) {
                    $unset = get_class($e);
                }
                $out = [
                    'exist' => [$s->exist($fd), $s->exist(999999)],
                    'info' => $s->connection_info($fd)['remote_ip'],
                    'info gone' => $s->connection_info(999999),
                    'list' => $s->connection_list() == $s->getClientList(),
                    'list count' => count($s->connection_list()),
                    'iterator' => get_class($c) . ' ' . ($c instanceof Swoole\Connection\Iterator ? 'is' : 'is not')
                                  . ' a Swoole\Connection\Iterator, ArrayAccess: ' . var_export($c instanceof ArrayAccess, true),
                    'count' => count($c),
                    'foreach' => count($keys) === 2 && in_array($fd, $keys, true),
                    'isset' => [isset($c[$fd]), isset($c[999999]), isset($c[(string) $fd])],
                    'get' => $c[$fd]['remote_port'] > 0,
                    'get gone' => $c[999999],
                    'set' => $set ?? 'no error',
                    'unset' => $unset ?? 'no error',
                ];
                $s->send($fd, json_encode($out) . "\n");
                break;
            case 'lasterror':
                $before = $s->getLastError();
                $sent = @$s->send(999999, 'x');
                $s->send($fd, json_encode([$before, $sent, $s->getLastError() > 0,
                                           $s->getLastError() === swoole_last_error()]) . "\n");
                break;
            case 'heartbeat':
                $s->send($fd, json_encode($s->heartbeat($arg === 'close')) . "\n");
                break;
            case 'sendwait':
                $ok = $s->sendwait($fd, str_repeat('w', 3 << 20));
                $s->send($fd, "sendwait " . var_export($ok, true) . "\n");
                break;
            }
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(1);

    $idle = tide_connect($srv->port);
    $a = tide_connect($srv->port);
    fwrite($idle, "info\n");
    tide_read_until($idle, "\n");
    fwrite($a, "info\n");
    $r = json_decode(tide_read_until($a, "\n"), true);
    echo "$name: exist ", json_encode($r['exist']), ", info ", $r['info'], ", info gone ", json_encode($r['info gone']),
         ", connection_list = getClientList ", json_encode($r['list']), " (", $r['list count'], ")\n";
    echo "$name: ", $r['iterator'], ", count ", $r['count'], ", foreach ", json_encode($r['foreach']),
         ", isset ", json_encode($r['isset']), ", [fd] ", json_encode($r['get']), ", [gone] ", json_encode($r['get gone']), "\n";
    echo "$name: set: ", $r['set'], "; unset: ", $r['unset'], "\n";

    fwrite($a, "lasterror\n");
    echo "$name: getLastError before, send to a gone fd, after > 0, = swoole_last_error(): ", trim(tide_read_until($a, "\n")), "\n";

    /* sendwait() returns once the 3 MiB are written: the client reads them all, then the reply */
    fwrite($a, "sendwait\n");
    $got = tide_read_n($a, 3 << 20, 10);
    echo "$name: sendwait wrote ", strlen($got) === 3 << 20 ? 'all 3 MiB' : strlen($got) . ' bytes', ", then: ", trim(tide_read_until($a, "\n")), "\n";

    /* $idle sends nothing more; $a asks until heartbeat() lists a connection (idle > 1 s) */
    $deadline = microtime(true) + 6;
    do {
        usleep(200000);
        fwrite($a, "heartbeat list\n");
        $list = json_decode(tide_read_until($a, "\n"), true);
    } while ($list === [] && microtime(true) < $deadline);
    echo "$name: heartbeat(false) lists ", count($list), " idle connection(s), still open: ", json_encode(!tide_closed_by_peer($idle, 0.3)), "\n";
    fwrite($a, "heartbeat close\n");
    $closed = json_decode(tide_read_until($a, "\n"), true);
    echo "$name: heartbeat() closes the same ones: ", json_encode($closed == $list), ", idle client closed: ", json_encode(tide_closed_by_peer($idle, 3)), "\n";
    fwrite($a, "info\n");
    echo "$name: active one still served: ", json_encode(json_decode(tide_read_until($a, "\n"), true)['count'] === 1), "\n";
    $srv->stop();
}
?>
--EXPECTF--
bool(true)
bool(false)
bool(false)
process: exist [true,false], info 127.0.0.1, info gone false, connection_list = getClientList true (2)
process: Swoole\Connection\Iterator is a Swoole\Connection\Iterator, ArrayAccess: true, count 2, foreach true, isset [true,false,true], [fd] true, [gone] false
process: set: Error: Tide\Server::$connections is read-only: a connection is opened by its client; unset: Error
process: getLastError before, send to a gone fd, after > 0, = swoole_last_error(): [0,false,true,true]
process: sendwait wrote all 3 MiB, then: sendwait true
process: heartbeat(false) lists 1 idle connection(s), still open: true
process: heartbeat() closes the same ones: true, idle client closed: true
process: active one still served: true
base: exist [true,false], info 127.0.0.1, info gone false, connection_list = getClientList true (2)
base: Swoole\Connection\Iterator is a Swoole\Connection\Iterator, ArrayAccess: true, count 2, foreach true, isset [true,false,true], [fd] true, [gone] false
base: set: Error: Tide\Server::$connections is read-only: a connection is opened by its client; unset: Error
base: getLastError before, send to a gone fd, after > 0, = swoole_last_error(): [0,false,true,true]
base: sendwait wrote all 3 MiB, then: sendwait true
base: heartbeat(false) lists 1 idle connection(s), still open: true
base: heartbeat() closes the same ones: true, idle client closed: true
base: active one still served: true
