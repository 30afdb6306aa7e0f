--TEST--
Server: a long-running worker does not grow (memory after 20,000 more requests and 500 more connections)
--SKIPIF--
<?php
if (getenv('USE_ZEND_ALLOC') === '0') die('skip memory_get_usage() and RSS need the Zend memory manager and no valgrind (USE_ZEND_ALLOC=0)');
?>
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

function round_trips($port, int $conns, int $perConn): void
{
    for ($i = 0; $i < $conns; $i++) {
        $c = tide_connect($port);
        $batch = str_repeat("hello world\r\n", $perConn);
        fwrite($c, $batch);
        $got = tide_read_n($c, strlen("ok\r\n") * $perConn);
        if ($got !== str_repeat("ok\r\n", $perConn)) {
            throw new RuntimeException("bad reply: " . json_encode(substr($got, 0, 100)));
        }
        fclose($c);
    }
}

/* VmRSS of a process and everything below it, in KiB. */
function tree_rss_kib(int $pid): int
{
    $sum = 0;
    foreach ([$pid, ...TideServerProc::descendants($pid)] as $p) {
        if (preg_match('/^VmRSS:\s+(\d+)/m', (string) @file_get_contents("/proc/$p/status"), $m)) {
            $sum += (int) $m[1];
        }
    }
    return $sum;
}

function mem($port): int
{
    $c = tide_connect($port);
    fwrite($c, "MEM\r\n");
    return (int) tide_read_until($c, "\r\n");
}

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 1, 'open_eof_split' => true]);
        $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
        $s->on('connect', function ($s, $fd) { $s->getClientInfo($fd); });
        $s->on('receive', function ($s, $fd, $rid, $data) {
            if ($data === "MEM\r\n") {
                gc_collect_cycles();
                $s->send($fd, memory_get_usage() . "\r\n");
                return;
            }
            Tide\Coroutine::getContext()['data'] = $data;
            $s->send($fd, "ok\r\n");
        });
        $s->on('close', function ($s, $fd) { });
        $s->start();
    PHP, $mode);
    $srv->waitReady(1);
    round_trips($srv->port, 100, 50);            // warm up: pools, tables, caches
    $before = mem($srv->port);
    $rss = fn() => tree_rss_kib($srv->pid);
    $rssBefore = $rss();
    round_trips($srv->port, 500, 40);            // 20,000 requests on 500 new connections
    $after = mem($srv->port);
    $growth = $after - $before;
    $rssGrowth = $rss() - $rssBefore;
    echo "$name: ", $growth < 32768 ? "stable" : "grew by $growth bytes ($before -> $after)", "\n";
    echo "$name: ", $rssGrowth < 2048 ? "RSS stable" : "RSS of the server's processes grew by $rssGrowth KiB", "\n";
    echo "$name: status ", $srv->stop(), "\n";
}
?>
--EXPECT--
process: stable
process: RSS stable
process: status 0
base: stable
base: RSS stable
base: status 0
