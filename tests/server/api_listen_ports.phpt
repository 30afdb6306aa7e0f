--TEST--
Server: listen() adds ports of other types, each with its own settings (EOF on the main port, length on another) and callbacks; $server->ports and Port properties
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        function ready($s) { echo "READY {$s->ports[0]->port} {$s->worker_id} " . getmypid() . "\n"; }
        function show($p) {
            $st = $p->setting;
            $eof = !empty($st['open_eof_split']) || !empty($st['open_eof_check']);
            $framing = ($eof ? 'eof' : '') . (!empty($st['open_length_check']) ? 'length' : '');
            return [$p->type, $p->port > 0, $framing ?: 'none', $eof ? $st['package_eof'] ?? null : null];
        }
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 2, 'open_eof_split' => true, 'package_eof' => "\n"]);
        try {
            $p1 = $s->listen('127.0.0.1', 0, Tide\SOCK_TCP);
            $p1->set(['open_length_check' => true, 'package_length_type' => 'n',
                      'package_length_offset' => 0, 'package_body_offset' => 2]);
        } catch (Throwable $e) {
            echo "p1: ", get_class($e), ": ", $e->getMessage(), "\n";
        }
        $p1->on('receive', fn($s, $fd, $rid, $data) => $s->send($fd, 'p1:' . bin2hex($data) . "\n"));
        $p2 = $s->addListener('127.0.0.1', 0, Tide\SOCK_UDP);
        $p2->on('packet', fn($s, $data, $info) => $s->sendto($info['address'], $info['port'], "p2:$data", $info['server_socket']));
        $p3 = $s->listen(__DIR__ . '/p3.sock', 0, Tide\SOCK_UNIX_STREAM);
        $p3->set(['package_eof' => '#']);
        $p3->on('connect', fn($s, $fd) => $s->send($fd, "p3 hello#"));
        $s->on('receive', fn($s, $fd, $rid, $data) => $s->send($fd, "main:$data"));
        /* Settings given to the server after listen() still reach the ports (under their own). */
        $s->set(['package_max_length' => 100000]);
        echo "ports: ", count($s->ports), ", same objects: ",
            var_export($s->ports[1] === $p1 && $s->ports[2] === $p2 && $s->ports[3] === $p3, true), "\n";
        echo "hosts: ", json_encode(array_map(fn($p) => basename($p->host), $s->ports)), "\n";
        foreach ($s->ports as $i => $p) echo "port $i: ", json_encode(show($p)), " max ", $p->setting['package_max_length'] ?? '-', "\n";
        $s->on('workerStart', function ($s, $id) {
            if ($id === 0) echo "PORTS " . json_encode(array_map(fn($p) => $p->port, $s->ports)) . "\n";
            ready($s);
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(2);
    echo $name, ":\n", implode("\n", array_filter(explode("\n", $srv->out()), fn($l) => preg_match('/^(ports|hosts|port \d|p1):/', $l))), "\n";
    preg_match('/^PORTS (.*)$/m', $srv->out(), $m);
    $ports = json_decode($m[1], true);
    echo "$name: main port in PORTS: ", var_export($ports[0] === $srv->port, true), ", unix port: $ports[3]\n";

    $c = tide_connect($ports[0]);
    fwrite($c, "a\nbc\n");
    echo "$name: main ", json_encode(tide_read_until($c, "main:bc\n")), "\n";

    $c1 = tide_connect($ports[1]);
    fwrite($c1, pack('n', 3) . 'xyz' . pack('n', 2) . "h\n");
    echo "$name: p1 ", json_encode(tide_read_until($c1, "680a\n")), "\n";

    $u = stream_socket_client("udp://127.0.0.1:$ports[2]", $errno, $errstr, 2);
    stream_set_timeout($u, 5);
    fwrite($u, 'ping');
    echo "$name: p2 ", json_encode(fread($u, 100)), "\n";

    $c3 = stream_socket_client('unix://' . $srv->dir() . '/p3.sock', $errno, $errstr, 5);
    stream_set_timeout($c3, 5);
    fwrite($c3, "q#w\n#");
    echo "$name: p3 ", json_encode(tide_read_until($c3, "w\n#")), "\n";
    $srv->stop();
}
?>
--EXPECT--
process:
ports: 4, same objects: true
hosts: ["127.0.0.1","127.0.0.1","127.0.0.1","p3.sock"]
port 0: [1,true,"eof","\n"] max 100000
port 1: [1,true,"length",null] max 100000
port 2: [2,true,"eof","\n"] max 100000
port 3: [5,false,"eof","#"] max 100000
process: main port in PORTS: true, unix port: 0
process: main "main:a\nmain:bc\n"
process: p1 "p1:000378797a\np1:0002680a\n"
process: p2 "p2:ping"
process: p3 "p3 hello#main:q#main:w\n#"
base:
ports: 4, same objects: true
hosts: ["127.0.0.1","127.0.0.1","127.0.0.1","p3.sock"]
port 0: [1,true,"eof","\n"] max 100000
port 1: [1,true,"length",null] max 100000
port 2: [2,true,"eof","\n"] max 100000
port 3: [5,false,"eof","#"] max 100000
base: main port in PORTS: true, unix port: 0
base: main "main:a\nmain:bc\n"
base: p1 "p1:000378797a\np1:0002680a\n"
base: p2 "p2:ping"
base: p3 "p3 hello#main:q#main:w\n#"
