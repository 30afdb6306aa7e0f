--TEST--
HTTP: examples/http_server.php, the server the README's Quick start starts, answers each of its routes in both modes
--FILE--
<?php
require __DIR__ . '/../inc/http.inc';

$example = realpath(__DIR__ . '/../../examples/http_server.php');
foreach (TIDE_MODES as $mode => $name) {
    $probe = stream_socket_server('tcp://127.0.0.1:0');
    $port = (int) explode(':', stream_socket_get_name($probe, false))[1];
    fclose($probe);
    $srv = new TideServerProc("\$argv = ['x', '$port', '$name'];\nrequire '$example';\n", $mode);
    /* The start event comes before MODE_BASE workers listen: each worker says when it does. */
    $srv->waitFor('ready', 2);
    $get = fn($req) => tide_http($port, $req);
    $r = $get("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    echo "$name: / ", $r['status'], ' ', preg_replace('/#\d+ \(pid \d+\)/', '#N (pid P)', $r['body']);
    $r = $get("GET /hello?name=Tide HTTP/1.1\r\nHost: x\r\n\r\n");
    echo "$name: /hello ", $r['body'];
    $r = $get("POST /form HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 7\r\n\r\na=1&b=2");
    echo "$name: /form ", $r['body'];
    $r = $get("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
    echo "$name: /stream ", $r['headers']['transfer-encoding'], ' ', $r['body'];
    $r = $get("GET /stats HTTP/1.1\r\nHost: x\r\n\r\n");
    echo "$name: /stats worker_num ", json_decode($r['body'], true)['worker_num'], "\n";
    $r = $get("GET /missing HTTP/1.1\r\nHost: x\r\n\r\n");
    echo "$name: /missing ", $r['status'], "\n";
    echo "$name: stopped with status ", $srv->stop(), "\n";
}
?>
--EXPECT--
process: / 200 Hello from worker #N (pid P)
process: /hello Hello, Tide!
process: /form {"method":"POST","post":{"a":"1","b":"2"}}
process: /stream chunked one two three
process: /stats worker_num 2
process: /missing 404
process: stopped with status 0
base: / 200 Hello from worker #N (pid P)
base: /hello Hello, Tide!
base: /form {"method":"POST","post":{"a":"1","b":"2"}}
base: /stream chunked one two three
base: /stats worker_num 2
base: /missing 404
base: stopped with status 0
