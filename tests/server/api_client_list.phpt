--TEST--
Server: getClientList() pages through the live connections in id order (startFd exclusive, count), closed ones leave it
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        function ready($s) { echo "READY {$s->ports[0]->port} {$s->worker_id} " . getmypid() . "\n"; }
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 2, 'open_eof_split' => true, 'package_eof' => "\n"]);
        $s->on('workerStart', fn($s, $id) => ready($s));
        $s->on('receive', function ($s, $fd, $rid, $data) {
            $w = explode(' ', trim($data));
            if ($w[0] === 'me') {
                $s->send($fd, "$fd\n");
            } elseif ($w[0] === 'list') {
                try {
                    $r = $s->getClientList((int) $w[1], (int) $w[2]);
                } catch (Throwable $e) {
                    $r = get_class($e) . ': ' . $e->getMessage();
                }
                $s->send($fd, json_encode($r) . "\n");
            } elseif ($w[0] === 'default') {
                $s->send($fd, json_encode($s->getClientList()) . "\n");
            }
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(2);
    $ctl = tide_connect($srv->port);
    fwrite($ctl, "me\n");
    $ids = [(int) tide_read_until($ctl, "\n")];
    $cs = $cids = [];
    for ($i = 0; $i < 13; $i++) {
        $c = tide_connect($srv->port);
        fwrite($c, "me\n");
        $ids[] = $cids[] = (int) tide_read_until($c, "\n");
        $cs[] = $c;
    }
    sort($ids);
    $ask = function (string $q) use ($ctl) {
        fwrite($ctl, "$q\n");
        return json_decode(tide_read_until($ctl, "\n"), true);
    };
    $walk = function (int $count) use ($ask) {
        $all = [];
        $pages = 0;
        $start = 0;
        while ($pages < 50) {
            $page = $ask("list $start $count");
            if (!$page) break;
            $pages++;
            if (count($page) > $count) return "page too long";
            $all = array_merge($all, $page);
            $start = end($page);
        }
        return [$all, $pages];
    };
    [$all, $pages] = $walk(5);
    echo "$name: 14 connections in $pages pages of 5: ", var_export($all === $ids, true), "\n";
    [$all, $pages] = $walk(1);
    echo "$name: in $pages pages of 1: ", var_export($all === $ids, true), "\n";
    $default = $ask('default');
    echo "$name: default count: ", count($default), ", first ten: ", var_export($default === array_slice($ids, 0, 10), true), "\n";
    echo "$name: from the 5th id: ", var_export($ask("list {$ids[4]} 100") === array_slice($ids, 5), true), "\n";
    echo "$name: from the last id: ", json_encode($ask("list " . end($ids) . " 10") ?: 'empty'), "\n";
    echo "$name: from a negative id: ", var_export($ask("list -5 100") === $ids, true), "\n";
    foreach ([0, 101, -1] as $n) echo "$name: count $n: ", $ask("list 0 $n"), "\n";
    /* Close some: they leave the list. */
    $gone = [];
    foreach ([0, 3, 12] as $k) {
        fclose($cs[$k]);
        $gone[] = $cids[$k];
    }
    $want = array_values(array_diff($ids, $gone));
    $deadline = microtime(true) + 5;
    do {
        [$all] = $walk(4);
    } while ($all !== $want && microtime(true) < $deadline);
    echo "$name: after 3 closes: ", var_export($all === $want, true), " (", count($all), ")\n";
    if ($all !== $want) echo json_encode($all), " vs ", json_encode($want), "\n";
    $srv->stop();
}
?>
--EXPECT--
process: 14 connections in 3 pages of 5: true
process: in 14 pages of 1: true
process: default count: 10, first ten: true
process: from the 5th id: true
process: from the last id: "empty"
process: from a negative id: true
process: count 0: ValueError: Tide\Server::getClientList(): Argument #2 ($count) must be between 1 and 100
process: count 101: ValueError: Tide\Server::getClientList(): Argument #2 ($count) must be between 1 and 100
process: count -1: ValueError: Tide\Server::getClientList(): Argument #2 ($count) must be between 1 and 100
process: after 3 closes: true (11)
base: 14 connections in 3 pages of 5: true
base: in 14 pages of 1: true
base: default count: 10, first ten: true
base: from the 5th id: true
base: from the last id: "empty"
base: from a negative id: true
base: count 0: ValueError: Tide\Server::getClientList(): Argument #2 ($count) must be between 1 and 100
base: count 101: ValueError: Tide\Server::getClientList(): Argument #2 ($count) must be between 1 and 100
base: count -1: ValueError: Tide\Server::getClientList(): Argument #2 ($count) must be between 1 and 100
base: after 3 closes: true (11)
