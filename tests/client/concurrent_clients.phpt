--TEST--
Tide\Coroutine\Client: 100 clients in one Tide\run(), each waiting 0.3 s for its reply, finish together (well under the 30 s a serial run takes), each with its own reply
--EXTENSIONS--
tide
--FILE--
<?php
require __DIR__ . '/listen.inc';

Tide\run(function () {
    [$srv, $port] = tide_test_listen();
    Tide\go(function () use ($srv) {
        for ($i = 0; $i < 100; $i++) {
            $c = stream_socket_accept($srv, 10);
            Tide\go(function () use ($c) {
                $line = fgets($c);
                Tide\Coroutine::sleep(0.3);
                fwrite($c, "re: $line");
                fread($c, 1);
            });
        }
    });
    $t = microtime(true);
    $wg = new Tide\Coroutine\WaitGroup();
    $ok = 0;
    for ($i = 0; $i < 100; $i++) {
        $wg->add();
        Tide\go(function () use ($i, $port, $wg, &$ok) {
            $c = new Tide\Coroutine\Client(Tide\SOCK_TCP);
            $c->set(['open_eof_split' => true, 'package_eof' => "\n", 'timeout' => 10]);
            if ($c->connect('127.0.0.1', $port) && $c->send("client $i\n") && $c->recv() === "re: client $i\n") {
                $ok++;
            }
            $c->close();
            $wg->done();
        });
    }
    $wg->wait();
    $took = microtime(true) - $t;
    echo "$ok of 100 got their reply\n";
    echo $took < 5 ? "together\n" : "took $took s\n";
});
?>
--EXPECT--
100 of 100 got their reply
together
