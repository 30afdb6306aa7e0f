--TEST--
Tide\Coroutine\Client: wrong use is reported: an unknown or mistyped setting is a ValueError naming it, I/O outside a coroutine a Tide\Exception, send()/recv() before connect() false with errCode 5001, a refused connect errCode 111, a bad type or port a ValueError, a second connect() EISCONN
--EXTENSIONS--
tide
--FILE--
<?php
require __DIR__ . '/listen.inc';
use Tide\Coroutine\Client;

function attempt(callable $fn): void
{
    try {
        var_dump($fn());
    } catch (Throwable $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
}
$c = new Client(Tide\SOCK_TCP);
attempt(fn() => $c->set(['timeout' => 1, 'no_such_key' => 1]));
attempt(fn() => $c->set(['open_eof_check' => 'yes']));
attempt(fn() => $c->set(['package_length_type' => 'x', 'open_length_check' => true]));
attempt(fn() => $c->set(['open_eof_check' => true, 'open_length_check' => true]));
attempt(fn() => $c->setting);
attempt(fn() => $c->set(['timeout' => 1.5]) && $c->setting === ['timeout' => 1.5]);
attempt(fn() => $c->connect('127.0.0.1', 80));
attempt(fn() => $c->recv());
attempt(fn() => new Client(99));
attempt(fn() => new Client(Tide\SOCK_UDP | Tide\SSL));

Tide\run(function () {
    $c = new Client(Tide\SOCK_TCP);
    attempt(fn() => $c->send('x'));
    attempt(fn() => [$c->errCode, $c->errMsg]);
    attempt(fn() => $c->recv());
    attempt(fn() => $c->connect('127.0.0.1', 0));
    /* a port nobody listens on: bind one, close it */
    [$s, $port] = tide_test_listen();
    fclose($s);
    attempt(fn() => $c->connect('127.0.0.1', $port, 2));
    attempt(fn() => [$c->errCode, $c->errMsg, $c->isConnected()]);
    [$s, $port] = tide_test_listen();
    attempt(fn() => $c->connect('127.0.0.1', $port, 2));
    attempt(fn() => $c->connect('127.0.0.1', $port, 2));
    attempt(fn() => $c->errCode);
    $c->close();
});
?>
--EXPECT--
ValueError: Unknown setting 'no_such_key'
ValueError: Setting 'open_eof_check' must be a bool, string given
ValueError: Setting 'package_length_type' must be one of c C s S n N l L v V q J P, 'x' given
ValueError: Settings 'open_eof_check'/'open_eof_split' and 'open_length_check' cannot both be on
NULL
bool(true)
Tide\Exception: Tide\Coroutine\Client::connect() must be called inside a coroutine
Tide\Exception: Tide\Coroutine\Client::recv() must be called inside a coroutine
ValueError: Tide\Coroutine\Client::__construct(): Argument #1 ($type) must be one of Tide\SOCK_TCP, SOCK_TCP6, SOCK_UDP, SOCK_UDP6, SOCK_UNIX_STREAM, SOCK_UNIX_DGRAM (| Tide\SSL for TCP), 99 given
ValueError: Tide\Coroutine\Client::__construct(): Argument #1 ($type) may have Tide\SSL only with SOCK_TCP or SOCK_TCP6
bool(false)
array(2) {
  [0]=>
  int(5001)
  [1]=>
  string(33) "client is not connected to server"
}
bool(false)
ValueError: Tide\Coroutine\Client::connect(): Argument #2 ($port) must be between 1 and 65535
bool(false)
array(3) {
  [0]=>
  int(111)
  [1]=>
  string(18) "Connection refused"
  [2]=>
  bool(false)
}
bool(true)
bool(false)
int(106)
