--TEST--
tide.swoole_compat=On: Swoole\Server::addProcess() written as a Swoole user writes it: a Swoole\Process that reads what the workers write to it, kept alive and stopped with the server, in both modes; false and a warning after start()
--EXTENSIONS--
tide
--INI--
tide.swoole_compat=On
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        $server = new Swoole\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $server->set(['worker_num' => 2]);

        $process = new Swoole\Process(function (Swoole\Process $process) use ($server) {
            echo "user process " . getmypid() . " started\n"; /* one write */
            while (true) {
                $msg = $process->read();
                echo "user process got: $msg\n";
            }
        }, false, 2, true);
        echo "addProcess: ", $server->addProcess($process), "\n";

        $server->on('WorkerStart', function (Swoole\Server $server, int $workerId) {
            var_dump($server->addProcess(new Swoole\Process(function () {})));
            tide_test_ready($server);
        });
        $server->on('Receive', function (Swoole\Server $server, $fd, $reactorId, $data) use ($process) {
            $process->write("from worker {$server->worker_id}: " . trim($data));
            $server->send($fd, "ok\n");
        });
        $server->start();
    PHP, $mode);
    $srv->waitReady(2);
    $srv->waitFor(" started\n");
    preg_match('/^user process (\d+) started$/m', $srv->out(), $m);
    $pid = (int) $m[1];
    $c = tide_connect($srv->port);
    fwrite($c, "hello\n");
    echo "$name: ", trim(tide_read_until($c, "\n")), "\n";
    echo "$name: process read it: ", json_encode($srv->waitFor('user process got: from worker ')), "\n";
    echo "$name: ", preg_match('/^user process got: from worker \d: hello$/m', $srv->out()) ? 'the message as written' : $srv->out(), "\n";
    echo "$name: stopped with the server: ", $srv->stop(), ", process gone: ", json_encode(!is_dir("/proc/$pid")), "\n";
    echo preg_replace('/ in \S+ on line \d+/', '', implode("\n", array_unique(array_filter(
        explode("\n", $srv->out()), fn($l) => preg_match('/^(addProcess|bool|\s*Warning|PHP Warning)/', $l))))), "\n";
    echo $srv->err();
}
?>
--EXPECTF--
process: ok
process: process read it: true
process: the message as written
process: stopped with the server: 0, process gone: true
addProcess: 0
Warning: Swoole\Server::addProcess(): cannot be called after start()
bool(false)
base: ok
base: process read it: true
base: the message as written
base: stopped with the server: 0, process gone: true
addProcess: 0
Warning: Swoole\Server::addProcess(): cannot be called after start()
bool(false)
