--TEST--
Server: the properties of Tide\Server and Tide\Server\Port are readonly for PHP code (write, unset, append, reference, clone), before start() and in a worker (PHP 8.4 says "Cannot indirectly modify" for appends and references)
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

/* Shared by this script and the server's workers. */
const ATTEMPTS = <<<'PHP'
function attempts(Tide\Server $s): array
{
    $out = [];
    $p = $s->ports[0];
    $tries = [
        'master_pid = 1' => function () use ($s) { $s->master_pid = 1; },
        'manager_pid = 1' => function () use ($s) { $s->manager_pid = 1; },
        'worker_id = 5' => function () use ($s) { $s->worker_id = 5; },
        'worker_pid++' => function () use ($s) { $s->worker_pid++; },
        'taskworker = true' => function () use ($s) { $s->taskworker = true; },
        'mode = 1' => function () use ($s) { $s->mode = 1; },
        "setting['x'] = 1" => function () use ($s) { $s->setting['x'] = 1; },
        'setting = []' => function () use ($s) { $s->setting = []; },
        'ports[] = 1' => function () use ($s) { $s->ports[] = 1; },
        'unset(worker_id)' => function () use ($s) { unset($s->worker_id); },
        '&worker_id' => function () use ($s) { $r = &$s->worker_id; $r = 9; },
        'port->port = 1' => function () use ($p) { $p->port = 1; },
        'port->host = x' => function () use ($p) { $p->host = 'x'; },
        "port->setting['a'] = 1" => function () use ($p) { $p->setting['a'] = 1; },
        'port->type = 2' => function () use ($p) { $p->type = 2; },
        'port->dynamic = 1' => function () use ($p) { $p->dynamic = 1; },
        'clone server' => function () use ($s) { clone $s; },
        'clone port' => function () use ($p) { clone $p; },
        'serialize server' => function () use ($s) { serialize($s); },
        'new Port' => function () { new Tide\Server\Port(); },
    ];
    foreach ($tries as $what => $fn) {
        try {
            $fn();
            $out[] = "$what: allowed";
        } catch (Throwable $e) {
            $out[] = "$what: " . get_class($e) . ": " . $e->getMessage();
        }
    }
    $out[] = 'unchanged: ' . json_encode([$s->master_pid === $s->getMasterPid(), $s->worker_id === ($s->getWorkerId() === false ? -1 : $s->getWorkerId()),
        in_array($s->mode, [Tide\MODE_BASE, Tide\MODE_PROCESS], true), $s->setting['worker_num'], count($s->ports), $p->port > 0, $p->type]);
    return $out;
}
PHP;
eval(ATTEMPTS);

$s = new Tide\Server('127.0.0.1', 0, Tide\MODE_BASE);
$s->set(['worker_num' => 1]);
$before = attempts($s);
echo "before start:\n", implode("\n", $before), "\n";
unset($s);

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(ATTEMPTS . "\n" . <<<'PHP'
        function ready($s) { echo "READY {$s->ports[0]->port} {$s->worker_id} " . getmypid() . "\n"; }
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 1]);
        $s->on('receive', fn() => null);
        $s->on('workerStart', function ($s) {
            file_put_contents(__DIR__ . '/attempts', implode("\n", attempts($s)));
            ready($s);
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(1);
    $in = explode("\n", (string) @file_get_contents($srv->dir() . '/attempts'));
    $diff = [];
    foreach ($before as $k => $line) if (($in[$k] ?? '') !== $line) $diff[] = ($in[$k] ?? '(missing)');
    echo "$name worker: ", $diff ? "differs:\n" . implode("\n", $diff) : 'the same', "\n";
    $srv->stop();
}
?>
--EXPECTF--
before start:
master_pid = 1: Error: Cannot modify readonly property Tide\Server::$master_pid
manager_pid = 1: Error: Cannot modify readonly property Tide\Server::$manager_pid
worker_id = 5: Error: Cannot modify readonly property Tide\Server::$worker_id
worker_pid++: Error: Cannot modify readonly property Tide\Server::$worker_pid
taskworker = true: Error: Cannot modify readonly property Tide\Server::$taskworker
mode = 1: Error: Cannot modify readonly property Tide\Server::$mode
setting['x'] = 1: Error: Cannot %Smodify readonly property Tide\Server::$setting
setting = []: Error: Cannot modify readonly property Tide\Server::$setting
ports[] = 1: Error: Cannot %Smodify readonly property Tide\Server::$ports
unset(worker_id): Error: Cannot unset readonly property Tide\Server::$worker_id
&worker_id: Error: Cannot %Smodify readonly property Tide\Server::$worker_id
port->port = 1: Error: Cannot modify readonly property Tide\Server\Port::$port
port->host = x: Error: Cannot modify readonly property Tide\Server\Port::$host
port->setting['a'] = 1: Error: Cannot %Smodify readonly property Tide\Server\Port::$setting
port->type = 2: Error: Cannot modify readonly property Tide\Server\Port::$type
port->dynamic = 1: Error: Cannot create dynamic property Tide\Server\Port::$dynamic
clone server: Error: Trying to clone an uncloneable object of class Tide\Server
clone port: Error: Trying to clone an uncloneable object of class Tide\Server\Port
serialize server: Exception: Serialization of 'Tide\Server' is not allowed
new Port: Error: Call to private Tide\Server\Port::__construct() from global scope
unchanged: [true,true,true,1,1,true,1]
process worker: the same
base worker: the same
