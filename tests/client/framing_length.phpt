--TEST--
Tide\Coroutine\Client: open_length_check hands out one whole package (header included) per recv(), several in one write or one split across writes, with package_length_offset and package_body_offset
--EXTENSIONS--
tide
--FILE--
<?php
require __DIR__ . '/listen.inc';

Tide\run(function () {
    [$srv, $port] = tide_test_listen();
    $step = new Tide\Coroutine\Channel(1);
    Tide\go(function () use ($srv, $step) {
        $c = stream_socket_accept($srv, 5);
        /* header: 2 bytes of type, a 4-byte big-endian body length, then the body */
        $pkg = fn(string $body) => "T1" . pack('N', strlen($body)) . $body;
        $three = $pkg('hello') . $pkg('') . $pkg(str_repeat('z', 70000));
        fwrite($c, $pkg('one') . $pkg('two') . substr($three, 0, 4));
        $step->pop(5);
        fwrite($c, substr($three, 4, 10));
        $step->pop(5);
        fwrite($c, substr($three, 14));
        fclose($c);
    });
    $c = new Tide\Coroutine\Client(Tide\SOCK_TCP);
    $c->set(['open_length_check' => true, 'package_length_type' => 'N',
             'package_length_offset' => 2, 'package_body_offset' => 6, 'timeout' => 5]);
    $c->connect('127.0.0.1', $port);
    var_dump(bin2hex($c->recv()), bin2hex($c->recv()));
    $step->push(1);
    $step->push(1);
    var_dump(substr($c->recv(), 6));
    var_dump(strlen($c->recv()));
    $big = $c->recv();
    var_dump(strlen($big), substr($big, 6) === str_repeat('z', 70000));
    var_dump($c->recv());
});
?>
--EXPECT--
string(18) "5431000000036f6e65"
string(18) "54310000000374776f"
string(5) "hello"
int(6)
int(70006)
bool(true)
string(0) ""
