--TEST--
Server: stats()['idle_worker_num'] counts the workers with no request in flight (a worker busy with a suspended request is not idle, and is idle again once it is done), and abort_count is not made up, in both modes
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 2]);
        $s->on('workerStart', function ($s, $id) {
            if ($id === 0) {
                Tide\Timer::tick(20, function () use ($s) {
                    $st = $s->stats();
                    echo "IDLE {$st['idle_worker_num']} " . (array_key_exists('abort_count', $st) ? 'abort_count' : '') . "\n";
                });
            }
            tide_test_ready($s);
        });
        $s->on('receive', function ($s, $fd, $r, $d) {
            Tide\Coroutine::sleep(0.5);
            $s->send($fd, "done\n");
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(2);
    $before = $srv->waitFor("IDLE 2 \n", 2, 5);
    $c = tide_connect($srv->port);
    fwrite($c, 'busy');
    $busy = $srv->waitFor("IDLE 1 \n", 1, 5);
    $reply = tide_read_until($c, "\n", 5);
    $n = substr_count($srv->out(), "IDLE 2 \n");
    $after = $srv->waitFor("IDLE 2 \n", $n + 2, 5);
    $srv->stop();
    echo "$name: idle before: ", $before ? 2 : '?', ', while one is busy: ', $busy ? 1 : '?',
        ', after: ', $after && $reply === "done\n" ? 2 : '?', ', abort_count: ', str_contains($srv->out(), 'abort_count') ? 'made up' : 'absent', "\n";
}
?>
--EXPECT--
process: idle before: 2, while one is busy: 1, after: 2, abort_count: absent
base: idle before: 2, while one is busy: 1, after: 2, abort_count: absent
