--TEST--
tide.swoole_compat=On: Swoole's class names are the same classes as Tide's (new, instanceof, ::class both ways), reported by Swoole's name (get_class(), get_parent_class()), go(), Co\run(), swoole_version(), swoole_cpu_num(), swoole_strerror() and swoole_set_process_name() exist, SWOOLE_* and WEBSOCKET_* constants have Tide's values, extension_loaded('swoole') stays false, a Swoole-style coroutine program runs unchanged, and Channel, Server, Http\Server, WebSocket\Server and Table can be extended
--INI--
tide.swoole_compat=On
--FILE--
<?php
$pairs = ['Swoole\Server' => 'Tide\Server', 'Swoole\Server\Port' => 'Tide\Server\Port',
          'Swoole\Server\Task' => 'Tide\Task', 'Swoole\Http\Server' => 'Tide\Http\Server',
          'Swoole\Http\Request' => 'Tide\Http\Request', 'Swoole\Http\Response' => 'Tide\Http\Response',
          'Swoole\WebSocket\Server' => 'Tide\WebSocket\Server', 'Swoole\WebSocket\Frame' => 'Tide\WebSocket\Frame',
          'Swoole\WebSocket\CloseFrame' => 'Tide\WebSocket\CloseFrame', 'Swoole\Coroutine' => 'Tide\Coroutine',
          'Co' => 'Tide\Coroutine', 'Swoole\Coroutine\Channel' => 'Tide\Coroutine\Channel',
          'Co\Channel' => 'Tide\Coroutine\Channel', 'Swoole\Coroutine\WaitGroup' => 'Tide\Coroutine\WaitGroup',
          'Swoole\Timer' => 'Tide\Timer', 'Swoole\Event' => 'Tide\Event', 'Swoole\Table' => 'Tide\Table',
          'Swoole\Atomic' => 'Tide\Atomic', 'Swoole\Atomic\Long' => 'Tide\Atomic\Long', 'Swoole\Lock' => 'Tide\Lock',
          'Swoole\Runtime' => 'Tide\Runtime', 'Swoole\Exception' => 'Tide\Exception'];
$same = 0;
foreach ($pairs as $swoole => $tide) {
    if (class_exists($swoole) && (new ReflectionClass($swoole))->getName() === (new ReflectionClass($tide))->getName()) {
        $same++;
    } else {
        echo "not the same: $swoole\n";
    }
}
echo "$same of ", count($pairs), " Swoole class names are Tide's classes\n";
$t = new Swoole\Table(16);
var_dump($t instanceof Tide\Table, get_class($t));
var_dump(extension_loaded('swoole'), extension_loaded('tide'), swoole_version(), SWOOLE_VERSION, SWOOLE_VERSION_ID);
$consts = ['SWOOLE_BASE' => Tide\MODE_BASE, 'SWOOLE_PROCESS' => Tide\MODE_PROCESS, 'SWOOLE_SOCK_TCP' => Tide\SOCK_TCP,
           'SWOOLE_SOCK_UDP' => Tide\SOCK_UDP, 'SWOOLE_SOCK_UNIX_STREAM' => Tide\SOCK_UNIX_STREAM, 'SWOOLE_SSL' => Tide\SSL,
           'SWOOLE_HOOK_ALL' => Tide\HOOK_ALL, 'SWOOLE_HOOK_TCP' => Tide\HOOK_TCP, 'SWOOLE_HOOK_CURL' => Tide\HOOK_CURL,
           'WEBSOCKET_OPCODE_TEXT' => Tide\WebSocket\OPCODE_TEXT, 'WEBSOCKET_OPCODE_BINARY' => Tide\WebSocket\OPCODE_BINARY,
           'WEBSOCKET_OPCODE_PING' => Tide\WebSocket\OPCODE_PING, 'SWOOLE_WEBSOCKET_FLAG_FIN' => Tide\WebSocket\FLAG_FIN];
foreach ($consts as $name => $value) {
    if (!defined($name) || constant($name) !== $value) {
        echo "constant $name: ", defined($name) ? var_export(constant($name), true) : 'undefined', "\n";
    }
}
echo count($consts), " constants checked\n";

// Swoole's own example, as its users write it
Co\run(function () {
    $chan = new Swoole\Coroutine\Channel(1);
    go(function () use ($chan) {
        for ($i = 0; $i < 3; $i++) {
            Co::sleep(0.001);
            $chan->push(['rand' => $i, 'index' => $i]);
        }
    });
    go(function () use ($chan) {
        for ($i = 0; $i < 3; $i++) {
            echo json_encode($chan->pop()), "\n";
        }
    });
});

class MyChannel extends Swoole\Coroutine\Channel
{
    public function pushTwice($v): void
    {
        $this->push($v);
        $this->push($v);
    }
}
class MyServer extends Swoole\Server {}
class MyHttp extends Swoole\Http\Server {}
class MyWs extends Swoole\WebSocket\Server {}
class MyTable extends Swoole\Table {}
Co\run(function () {
    $c = new MyChannel(2);
    $c->pushTwice('x');
    echo "MyChannel: ", $c->pop(), $c->pop(), " length ", $c->length(), "\n";
});
echo "subclasses: ", get_parent_class(new MyServer('127.0.0.1', 0)), ', ', get_parent_class(new MyTable(4)), "\n";
var_dump(swoole_cpu_num() >= 1, swoole_strerror(2), is_bool(swoole_set_process_name('tide-compat-test')));
try {
    go('not a function');
} catch (TypeError $e) {
    echo get_class($e), ": ", $e->getMessage(), "\n";
}
?>
--EXPECT--
22 of 22 Swoole class names are Tide's classes
bool(true)
string(12) "Swoole\Table"
bool(false)
bool(true)
string(5) "6.0.0"
string(5) "6.0.0"
int(60000)
13 constants checked
{"rand":0,"index":0}
{"rand":1,"index":1}
{"rand":2,"index":2}
MyChannel: xx length 0
subclasses: Swoole\Server, Swoole\Table
bool(true)
string(25) "No such file or directory"
bool(true)
TypeError: go(): Argument #1 ($func) must be a valid callback, function "not a function" not found or invalid function name
