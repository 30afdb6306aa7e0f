--TEST--
Tide\Coroutine\Http\Client: upgrade() to WebSocket, push()/recv() of text and binary messages (masked, as a client must), ping() answered by a pong, recv() timeout, the server's close frame handed out as a CloseFrame, then false; push() before upgrade() fails with errCode
--EXTENSIONS--
tide
--FILE--
<?php
require __DIR__ . '/../inc/http_client.inc';
$srv = tide_client_server();

Tide\run(function () use ($srv) {
    $c = new Tide\Coroutine\Http\Client('127.0.0.1', $srv->port);
    var_dump($c->push('early'), $c->errCode);
    var_dump($c->upgrade('/'));
    echo "status {$c->statusCode}, upgrade: {$c->headers['upgrade']}\n";
    var_dump($c->push('hello'));
    $f = $c->recv(2);
    echo get_class($f), " {$f->opcode} {$f->data} ", var_export($f->finish, true), "\n";
    $c->push("\x00\x01\x02", Tide\WebSocket\OPCODE_BINARY);
    $f = $c->recv(2);
    echo "binary: {$f->opcode} ", bin2hex($f->data), "\n";
    $c->push(str_repeat('y', 100000));
    echo "long: ", strlen($c->recv(2)->data), "\n";
    var_dump($c->ping('p'));
    $f = $c->recv(2);
    echo "pong: {$f->opcode} {$f->data}\n";
    $t = microtime(true);
    var_dump($c->recv(0.2), $c->errCode);
    echo "waited: ", microtime(true) - $t >= 0.19 ? 'yes' : 'no', "\n";
    $c->push('close');
    $f = $c->recv(2);
    echo get_class($f), " {$f->code} {$f->reason}\n";
    var_dump($c->connected, $c->recv(1));
});
$srv->stop();
?>
--EXPECT--
bool(false)
int(107)
bool(true)
status 101, upgrade: websocket
bool(true)
Tide\WebSocket\Frame 1 echo:hello true
binary: 2 6563686f3a000102
long: 100005
bool(true)
pong: 10 p
bool(false)
int(110)
waited: yes
Tide\WebSocket\CloseFrame 4000 asked to
bool(false)
bool(false)
