--TEST--
Server: dispatch_mode 3 hands each message to the worker with the fewest unfinished requests (a busy worker gets none)
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

$srv = new TideServerProc(<<<'PHP'
    $s = new Tide\Server('127.0.0.1', 0, Tide\MODE_PROCESS);
    $s->set(['worker_num' => 2, 'open_eof_split' => true, 'package_eof' => "\n", 'dispatch_mode' => 3]);
    $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
    $s->on('receive', function ($s, $fd, $rid, $data) {
        if (trim($data) === 'slow') {
            $s->send($fd, "busy {$s->worker_id}\n");
            Tide\Coroutine::sleep(1.0);      /* unfinished for a second */
            $s->send($fd, "done {$s->worker_id}\n");
            return;
        }
        $s->send($fd, "{$s->worker_id}\n");
    });
    $s->start();
PHP, Tide\MODE_PROCESS);
$srv->waitReady(2);
/* A worker says READY from workerStart, which may run before the master has its link (the
 * manager hands it over): until then the master dispatches to the other one alone. Ask
 * until both answered, so that both are known to the master before the test begins. */
$c = tide_connect($srv->port);
$seen = [];
for ($i = 0; $i < 1000 && count(array_unique($seen)) < 2; $i++) {
    fwrite($c, "who\n");
    $seen[] = (int) trim(tide_read_until($c, "\n"));
}
echo "both linked: ", var_export(count(array_unique($seen)) === 2, true), "\n";
$slow = tide_connect($srv->port);
fwrite($slow, "slow\n");
$busy = (int) substr(trim(tide_read_until($slow, "\n")), 5);
$seen = [];
for ($i = 0; $i < 6; $i++) {
    fwrite($c, "who\n");
    $seen[] = (int) trim(tide_read_until($c, "\n"));
}
echo "while one worker is busy, the other answered: ", var_export(!in_array($busy, $seen, true), true), "\n";
echo trim(tide_read_until($slow, "\n")) === "done $busy" ? "the slow one finished\n" : "no end of the slow one\n";
/* Idle again: both take work. The slow worker's finish reaches the master a moment after
 * its last reply reaches us (when its handler has returned), so ask until both answered. */
$seen = [];
for ($i = 0; $i < 1000 && count(array_unique($seen)) < 2; $i++) {
    fwrite($c, "who\n");
    $seen[] = (int) trim(tide_read_until($c, "\n"));
}
echo "both idle: both answer: ", var_export(count(array_unique($seen)) === 2, true), "\n";
$srv->stop();
?>
--EXPECT--
both linked: true
while one worker is busy, the other answered: true
the slow one finished
both idle: both answer: true
