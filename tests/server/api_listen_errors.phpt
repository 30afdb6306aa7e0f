--TEST--
Server: listen() on an address in use returns false with a warning; bad socket types, ports and hosts; Port::on/set misuse; listen() after start()
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

set_error_handler(function ($no, $msg) {
    if (!(error_reporting() & $no)) {
        return true; /* silenced with @ (the helpers' reads of /proc of processes that just left) */
    }
    echo "  warning: ", preg_replace(['/\d{2,5}/', '/(Address already in use).*/'], ['N', '$1'], $msg), "\n";
    return true;
});

function try_listen(Tide\Server $s, string $what, string $host, int $port, int $type): void
{
    $before = count($s->ports);
    try {
        $r = $s->listen($host, $port, $type);
        echo "$what: ", $r === false ? 'false' : get_class($r) . ' on port ' . ($r->port === $port ? 'same' : 'other'), ", ports +", count($s->ports) - $before, "\n";
    } catch (Throwable $e) {
        echo "$what: ", get_class($e), ": ", $e->getMessage(), ", ports +", count($s->ports) - $before, "\n";
    }
}

$dir = sys_get_temp_dir() . '/tide-listen-' . getmypid();
@mkdir($dir);
foreach (TIDE_MODES as $mode => $name) {
    echo "== $name\n";
    $srv = new TideServerProc(<<<'PHP'
        function ready($s) { echo "READY {$s->ports[0]->port} {$s->worker_id} " . getmypid() . "\n"; }
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 1]);
        $s->on('receive', fn() => null);
        $s->on('workerStart', function ($s) {
            try {
                $s->listen('127.0.0.1', 0, Tide\SOCK_TCP);
                echo "listen in a worker: accepted\n";
            } catch (Throwable $e) {
                echo "listen in a worker: ", get_class($e), ": ", $e->getMessage(), "\n";
            }
            echo "ports in the worker: ", count($s->ports), "\n";
            ready($s);
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(1);
    echo preg_replace('/^READY.*\n/m', '', $srv->out());
    $tcp = stream_socket_server('tcp://127.0.0.1:0');
    $tcpPort = (int) substr(strrchr(stream_socket_get_name($tcp, false), ':'), 1);
    $ctx = stream_context_create(['socket' => ['so_reuseaddr' => false]]);
    $udp = stream_socket_server('udp://127.0.0.1:0', $e, $es, STREAM_SERVER_BIND, $ctx);
    $udpPort = (int) substr(strrchr(stream_socket_get_name($udp, false), ':'), 1);

    $s = new Tide\Server('127.0.0.1', 0, $mode);
    try_listen($s, 'tcp port held by another socket', '127.0.0.1', $tcpPort, Tide\SOCK_TCP);
    try_listen($s, 'udp port held by another socket (SO_REUSEADDR)', '127.0.0.1', $udpPort, Tide\SOCK_UDP);
    try_listen($s, "the server's own tcp port", '127.0.0.1', $s->ports[0]->port, Tide\SOCK_TCP);
    $other = new Tide\Server('127.0.0.1', 0, $mode, Tide\SOCK_UDP);
    try_listen($s, "another server's udp port", '127.0.0.1', $other->ports[0]->port, Tide\SOCK_UDP);
    try_listen($s, "a running server's tcp port", '127.0.0.1', $srv->port, Tide\SOCK_TCP);
    try_listen($s, 'ipv6 host on SOCK_TCP', '::1', 0, Tide\SOCK_TCP);
    try_listen($s, 'bad host', 'not-an-address', 0, Tide\SOCK_TCP);
    try_listen($s, 'unix path too long', $dir . '/' . str_repeat('x', 120), 0, Tide\SOCK_UNIX_STREAM);
    try_listen($s, 'unix path in a missing dir', $dir . '/missing/s.sock', 0, Tide\SOCK_UNIX_DGRAM);
    foreach ([0, 7, 99, -1] as $t) try_listen($s, "sockType $t", '127.0.0.1', 0, $t);
    try_listen($s, 'SSL', '127.0.0.1', 0, Tide\SOCK_TCP | Tide\SSL);
    try_listen($s, 'port 65536', '127.0.0.1', 65536, Tide\SOCK_TCP);
    try_listen($s, 'port -1', '127.0.0.1', -1, Tide\SOCK_UDP);
    try {
        new Tide\Server('127.0.0.1', $tcpPort, $mode);
        echo "constructor on a port in use: no exception\n";
    } catch (Throwable $e) {
        echo "constructor on a port in use: ", get_class($e), "\n";
    }
    try {
        new Tide\Server('127.0.0.1', 0, $mode, 42);
    } catch (Throwable $e) {
        echo "constructor sockType 42: ", get_class($e), ": ", $e->getMessage(), "\n";
    }
    $p = $s->listen('127.0.0.1', 0, Tide\SOCK_TCP);
    echo "good listen: ", get_class($p), ", ports: ", count($s->ports), "\n";
    foreach (['workerStart', 'task', 'nope'] as $ev) {
        try {
            $p->on($ev, fn() => null);
            echo "Port::on($ev): accepted\n";
        } catch (Throwable $e) {
            echo "Port::on($ev): ", get_class($e), "\n";
        }
    }
    foreach ([['worker_num' => 2], ['no_such_key' => 1], ['open_eof_check' => true, 'open_length_check' => true]] as $set) {
        try {
            $p->set($set);
            echo "Port::set(", key($set), "): accepted\n";
        } catch (Throwable $e) {
            echo "Port::set(", key($set), "): ", get_class($e), "\n";
        }
    }
    unset($s, $p, $other);
    fclose($tcp);
    fclose($udp);

    $srv->stop();
}
@rmdir($dir);
?>
--EXPECT--
== process
listen in a worker: Tide\Exception: Tide\Server::listen() cannot be called after start()
ports in the worker: 1
  warning: Tide\Server::listen(): cannot listen on N.0.0.1:N: Address already in use
tcp port held by another socket: false, ports +0
  warning: Tide\Server::listen(): cannot listen on N.0.0.1:N: Address already in use
udp port held by another socket (SO_REUSEADDR): false, ports +0
  warning: Tide\Server::listen(): cannot listen on N.0.0.1:N: Address already in use
the server's own tcp port: false, ports +0
  warning: Tide\Server::listen(): cannot listen on N.0.0.1:N: Address already in use
another server's udp port: false, ports +0
  warning: Tide\Server::listen(): cannot listen on N.0.0.1:N: Address already in use
a running server's tcp port: false, ports +0
  warning: Tide\Server::listen(): '::1' is not a valid IPv4 address
ipv6 host on SOCK_TCP: false, ports +0
  warning: Tide\Server::listen(): 'not-an-address' is not a valid IPv4 address
bad host: false, ports +0
unix path too long: ValueError: Host must be shorter than 108 bytes, ports +0
  warning: Tide\Server::listen(): cannot listen on /tmp/tide-listen-N/missing/s.sock:0: No such file or directory
unix path in a missing dir: false, ports +0
sockType 0: ValueError: Socket type 0 is not one of Tide\SOCK_*, ports +0
sockType 7: ValueError: Socket type 7 is not one of Tide\SOCK_*, ports +0
sockType 99: ValueError: Socket type 99 is not one of Tide\SOCK_*, ports +0
sockType -1: ValueError: Socket type -1 is not one of Tide\SOCK_*, ports +0
SSL: Tide\Exception: Tide\SSL: TLS is not available in this version of Tide, ports +0
port 65536: ValueError: Port must be between 0 and 65535, 65536 given, ports +0
port -1: ValueError: Port must be between 0 and 65535, -1 given, ports +0
constructor on a port in use: Tide\Exception
constructor sockType 42: ValueError: Socket type 42 is not one of Tide\SOCK_*
good listen: Tide\Server\Port, ports: 2
Port::on(workerStart): ValueError
Port::on(task): ValueError
Port::on(nope): ValueError
Port::set(worker_num): ValueError
Port::set(no_such_key): ValueError
Port::set(open_eof_check): ValueError
== base
listen in a worker: Tide\Exception: Tide\Server::listen() cannot be called after start()
ports in the worker: 1
  warning: Tide\Server::listen(): cannot listen on N.0.0.1:N: Address already in use
tcp port held by another socket: false, ports +0
  warning: Tide\Server::listen(): cannot listen on N.0.0.1:N: Address already in use
udp port held by another socket (SO_REUSEADDR): false, ports +0
  warning: Tide\Server::listen(): cannot listen on N.0.0.1:N: Address already in use
the server's own tcp port: false, ports +0
  warning: Tide\Server::listen(): cannot listen on N.0.0.1:N: Address already in use
another server's udp port: false, ports +0
  warning: Tide\Server::listen(): cannot listen on N.0.0.1:N: Address already in use
a running server's tcp port: false, ports +0
  warning: Tide\Server::listen(): '::1' is not a valid IPv4 address
ipv6 host on SOCK_TCP: false, ports +0
  warning: Tide\Server::listen(): 'not-an-address' is not a valid IPv4 address
bad host: false, ports +0
unix path too long: ValueError: Host must be shorter than 108 bytes, ports +0
  warning: Tide\Server::listen(): cannot listen on /tmp/tide-listen-N/missing/s.sock:0: No such file or directory
unix path in a missing dir: false, ports +0
sockType 0: ValueError: Socket type 0 is not one of Tide\SOCK_*, ports +0
sockType 7: ValueError: Socket type 7 is not one of Tide\SOCK_*, ports +0
sockType 99: ValueError: Socket type 99 is not one of Tide\SOCK_*, ports +0
sockType -1: ValueError: Socket type -1 is not one of Tide\SOCK_*, ports +0
SSL: Tide\Exception: Tide\SSL: TLS is not available in this version of Tide, ports +0
port 65536: ValueError: Port must be between 0 and 65535, 65536 given, ports +0
port -1: ValueError: Port must be between 0 and 65535, -1 given, ports +0
constructor on a port in use: Tide\Exception
constructor sockType 42: ValueError: Socket type 42 is not one of Tide\SOCK_*
good listen: Tide\Server\Port, ports: 2
Port::on(workerStart): ValueError
Port::on(task): ValueError
Port::on(nope): ValueError
Port::set(worker_num): ValueError
Port::set(no_such_key): ValueError
Port::set(open_eof_check): ValueError
