--TEST--
tide.swoole_compat=On, written as a Swoole user writes it: where Swoole warns and returns false, so does Tide: task()/taskwait()/taskWaitMulti() on a server without task workers, finish() outside a task worker, sendMessage() from the manager, a second start(), Table::column() after create(); each warning names the method (with the mode off each is a Tide\Exception, tests/server and tests/shm)
--INI--
tide.swoole_compat=On
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

$t = new Swoole\Table(8);
$t->column('n', Swoole\Table::TYPE_INT);
$t->create();
var_dump($t->column('late', Swoole\Table::TYPE_INT));

$srv = new TideServerProc(<<<'PHP'
    $s = new Swoole\Server('127.0.0.1', 0, SWOOLE_PROCESS);
    $s->set(['worker_num' => 1]);
    $s->on('managerStart', function ($s) {          // its own file: the order of two processes
        ob_start();
        var_dump($s->sendMessage('x', 0));
        file_put_contents(__DIR__ . '/manager.out', ob_get_clean());
    });
    $s->on('workerStart', function ($s, $id) {
        var_dump($s->task('x'), $s->taskwait('x', 0.1), $s->taskWaitMulti(['x'], 0.1), $s->finish('x'));
        var_dump($s->start());
        tide_test_ready($s);
    });
    $s->on('receive', function () {});
    $s->start();
PHP, SWOOLE_PROCESS);
$srv->waitReady(1);
$srv->stop();
echo file_get_contents($srv->dir() . '/manager.out');
echo preg_replace('/^READY .*\n/m', '', $srv->out());
?>
--EXPECTF--
Warning: Swoole\Table::column(): the table is created already: its columns are fixed in %s on line %d
bool(false)

Warning: Swoole\Server::sendMessage(): can only be called from a worker, not from the manager process in %s on line %d
bool(false)

Warning: Swoole\Server::task(): the server has no task workers (set task_worker_num) in %s on line %d

Warning: Swoole\Server::taskwait(): the server has no task workers (set task_worker_num) in %s on line %d

Warning: Swoole\Server::taskWaitMulti(): the server has no task workers (set task_worker_num) in %s on line %d

Warning: Swoole\Server::finish(): can only be called from a task worker, not from a worker in %s on line %d
bool(false)
bool(false)
bool(false)
bool(false)

Warning: Swoole\Server::start(): the server was already started in %s on line %d
bool(false)
