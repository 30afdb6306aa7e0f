--TEST--
Server wrong usage: start() twice, set()/on()/listen() after start, unknown event, send() to an unknown fd, no receive callback
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

/* Before start(): in a child, so that a start() that wrongly succeeds cannot hang the test. */
$r = tide_child_php(['-r', <<<'PHP'
    $s = new Tide\Server('127.0.0.1', 0, Tide\MODE_BASE);
    try { $s->on('bogusEvent', fn() => 1); echo "on(bogusEvent) accepted\n"; }
    catch (ValueError $e) { echo get_class($e), ': ', str_contains($e->getMessage(), "'bogusEvent'") ? 'names it' : $e->getMessage(), "\n"; }
    var_dump($s->on('rEcEiVe', fn() => 1)); /* names are case-insensitive */
    $t = new Tide\Server('127.0.0.1', 0, Tide\MODE_PROCESS);
    $t->set(['worker_num' => 1]);
    $t->on('connect', fn() => 1);
    try { $t->start(); echo "started without a receive callback\n"; }
    catch (Tide\Exception $e) { echo get_class($e), ': ', str_contains($e->getMessage(), "'receive'") ? 'names it' : $e->getMessage(), "\n"; }
    try { $t->send(1, 'x'); echo "send() before start() accepted\n"; } /* not running */
    catch (Tide\Exception $e) { echo get_class($e), ': ', $e->getMessage(), "\n"; }
PHP], tide_child_env(), 10);
echo $r['stdout'], $r['timed_out'] ? "timed out\n" : '';

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        function say(string $l): void { echo $l . "\n"; }
        /* What a call does: its value, or the class and message of what it threw, and warnings. */
        function attempt(callable $fn): string
        {
            $warn = '';
            set_error_handler(function ($no, $msg) use (&$warn) { $warn .= " warning: $msg"; return true; });
            try {
                $r = json_encode($fn());
            } catch (Throwable $e) {
                $r = get_class($e) . ': ' . $e->getMessage();
            } finally {
                restore_error_handler();
            }
            return $r . $warn;
        }
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 1]);
        $s->on('start', fn($s) => say('in start: start() -> ' . attempt(fn() => $s->start())));
        $s->on('workerStart', fn($s, $id) => say("READY {$s->ports[0]->port} $id " . getmypid()));
        $s->on('receive', function ($s, $fd, $rid, $data) {
            $out = [
                'set' => attempt(fn() => $s->set(['worker_num' => 2])),
                'on' => attempt(fn() => $s->on('receive', fn() => 1)),
                'listen' => attempt(fn() => $s->listen('127.0.0.1', 0, Tide\SOCK_TCP)),
                'start' => attempt(fn() => $s->start()),
                'send' => attempt(fn() => $s->send(987654, 'x')),
                'close' => attempt(fn() => $s->close(987654)),
            ];
            $s->send($fd, json_encode($out) . "\n");
        });
        var_dump($s->start());
        echo 'again: ', attempt(fn() => $s->start()), "\n";
    PHP, $mode);
    $srv->waitReady(1);
    $c = tide_connect($srv->port);
    fwrite($c, "go");
    $got = json_decode(tide_read_until($c, "\n"), true);
    $status = $srv->stop();
    echo "$name:\n";
    foreach ((array) $got as $k => $v) echo "  $k: $v\n";
    preg_match('/^in start: .*$/m', $srv->out(), $m);
    echo "  ", $m[0] ?? 'no start event', "\n";
    preg_match('/^bool\(true\)\nagain: (.*)$/m', $srv->out(), $m);
    echo "  start() returned true, then again: ", $m[1] ?? 'not seen: ' . $srv->out(), "\n";
    echo "  status $status\n";
}
?>
--EXPECTF--
ValueError: names it
bool(true)
Tide\Exception: names it
Tide\Exception: Tide\Server::send() cannot be called before start()
process:
  set: Tide\Exception: Tide\Server::set() cannot be called after start()
  on: Tide\Exception: Tide\Server::on() cannot be called after start()
  listen: Tide\Exception: Tide\Server::listen() cannot be called after start()
  start: Tide\Exception: Tide\Server::start(): the server was already started
  send: false warning: %s#987654%s
  close: false warning: %s#987654%s
  in start: start() -> Tide\Exception: Tide\Server::start(): the server was already started
  start() returned true, then again: Tide\Exception: Tide\Server::start(): the server was already started
  status 0
base:
  set: Tide\Exception: Tide\Server::set() cannot be called after start()
  on: Tide\Exception: Tide\Server::on() cannot be called after start()
  listen: Tide\Exception: Tide\Server::listen() cannot be called after start()
  start: Tide\Exception: Tide\Server::start(): the server was already started
  send: false warning: %s#987654%s
  close: false warning: %s#987654%s
  in start: start() -> Tide\Exception: Tide\Server::start(): the server was already started
  start() returned true, then again: Tide\Exception: Tide\Server::start(): the server was already started
  status 0
