--TEST--
HTTP behind nginx (proxy_pass with upstream keepalive, the README's snippet): headers, cookies, query strings, form posts, large and chunked request bodies, chunked responses and 502 pages cross intact, and nginx reuses its upstream connections, in both modes
--SKIPIF--
<?php
if (!is_executable('/usr/sbin/nginx')) die('skip needs nginx (apt-get install nginx-light)');
if (!is_executable('/usr/bin/curl')) die('skip needs curl (apt-get install curl)');
?>
--FILE--
<?php
require __DIR__ . '/../inc/http.inc';

function free_port(): int
{
    $s = stream_socket_server('tcp://127.0.0.1:0');
    $p = (int) explode(':', stream_socket_get_name($s, false))[1];
    fclose($s);
    return $p;
}

function curl(array $args): string
{
    $p = proc_open(['curl', '-s', '--max-time', '10', ...$args], [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    $out = stream_get_contents($pipes[1]);
    proc_close($p);
    return $out;
}

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        $s = new Tide\Http\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 1, 'package_max_length' => 8 << 20]);
        $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
        $s->on('request', function ($req, $res) {
            switch ($req->server['request_uri']) {
            case '/stream':
                $res->write(str_repeat('x', 10000));
                $res->write(str_repeat('y', 10000));
                $res->end();
                return;
            case '/port':
                $res->end((string) $req->server['remote_port']);
                return;
            }
            $res->header('X-From', 'tide');
            $res->cookie('sid', 'v 1', 0, '/');
            $body = $req->getContent();
            $res->end(json_encode(['get' => $req->get, 'post' => $req->post,
                'real_ip' => $req->header['x-real-ip'] ?? null, 'host' => $req->header['host'],
                'len' => strlen($body), 'md5' => md5($body)]));
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(1);

    $dir = sys_get_temp_dir() . '/tide-nginx-' . getmypid() . "-$name";
    @mkdir($dir);
    $nport = free_port();
    file_put_contents("$dir/nginx.conf", <<<CONF
        daemon off;
        master_process off;
        pid $dir/nginx.pid;
        error_log $dir/error.log;
        events { worker_connections 256; }
        http {
            access_log off;
            client_body_temp_path $dir/body;
            proxy_temp_path $dir/proxy;
            fastcgi_temp_path $dir/fastcgi;
            uwsgi_temp_path $dir/uwsgi;
            scgi_temp_path $dir/scgi;
            client_max_body_size 16m;
            upstream tide {
                server 127.0.0.1:{$srv->port};
                keepalive 16;
            }
            server {
                listen 127.0.0.1:$nport;
                location / {
                    proxy_pass http://tide;
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                    proxy_set_header Host \$host;
                    proxy_set_header X-Real-IP \$remote_addr;
                    proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
                }
            }
        }
        CONF);
    $nginx = proc_open(['/usr/sbin/nginx', '-p', $dir, '-c', "$dir/nginx.conf"],
                       [0 => ['file', '/dev/null', 'r'], 1 => ['file', "$dir/out", 'w'], 2 => ['file', "$dir/err", 'w']], $pipes);
    if (!tide_wait_listening($nport)) {
        echo "nginx did not start: ", @file_get_contents("$dir/error.log"), @file_get_contents("$dir/err");
    }
    $url = "http://127.0.0.1:$nport";

    $out = curl(['-i', "$url/q?a=1&b[]=2"]);
    [$head, $body] = explode("\r\n\r\n", $out, 2);
    $j = json_decode($body, true);
    echo "$name: ", strtok($head, "\r\n"), ", X-From ", preg_match('/^X-From: tide\r?$/mi', $head) ? 'kept' : 'lost',
        ", cookie ", preg_match('/^Set-Cookie: sid=v\+1; path=\/\r?$/mi', $head) ? 'kept' : 'lost',
        ", get ", json_encode($j['get']), ", real ip ", $j['real_ip'], ", host ", $j['host'], "\n";
    $j = json_decode(curl(['-d', 'x=1&y=two', "$url/form"]), true);
    echo "$name: form: ", json_encode($j['post']), "\n";
    $big = random_bytes(3 << 20);
    file_put_contents("$dir/big", $big);
    $j = json_decode(curl(['--data-binary', "@$dir/big", '-H', 'Content-Type: application/octet-stream', "$url/upload"]), true);
    echo "$name: 3 MiB body: ", $j['len'] === strlen($big) && $j['md5'] === md5($big) ? 'intact' : json_encode($j), "\n";
    $j = json_decode(curl(['--data-binary', "@$dir/big", '-H', 'Transfer-Encoding: chunked', '-H', 'Content-Type: application/octet-stream', "$url/upload"]), true);
    echo "$name: chunked 3 MiB body: ", $j['len'] === strlen($big) && $j['md5'] === md5($big) ? 'intact' : json_encode($j), "\n";
    $s = curl(["$url/stream"]);
    echo "$name: chunked response: ", $s === str_repeat('x', 10000) . str_repeat('y', 10000) ? 'intact' : strlen($s) . ' bytes', "\n";
    $ports = [];
    for ($i = 0; $i < 20; $i++) {
        $ports[curl(["$url/port"])] = true;
    }
    echo "$name: 20 requests over ", count($ports) <= 2 ? 'at most 2' : count($ports), " upstream connections\n";

    $srv->stop();
    $gone = curl(['-o', '/dev/null', '-w', '%{http_code}', "$url/after"]);
    echo "$name: with Tide stopped nginx answers $gone\n";
    proc_terminate($nginx); /* SIGTERM: nginx (no master process) exits at once */
    proc_close($nginx);     /* and is waited for */
    array_map('unlink', glob("$dir/*.*") ?: []);
    @unlink("$dir/big"); @unlink("$dir/out"); @unlink("$dir/err");
    foreach (['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'] as $d) @rmdir("$dir/$d");
    @rmdir($dir);
}

?>
--EXPECT--
process: HTTP/1.1 200 OK, X-From kept, cookie kept, get {"a":"1","b":["2"]}, real ip 127.0.0.1, host 127.0.0.1
process: form: {"x":"1","y":"two"}
process: 3 MiB body: intact
process: chunked 3 MiB body: intact
process: chunked response: intact
process: 20 requests over at most 2 upstream connections
process: with Tide stopped nginx answers 502
base: HTTP/1.1 200 OK, X-From kept, cookie kept, get {"a":"1","b":["2"]}, real ip 127.0.0.1, host 127.0.0.1
base: form: {"x":"1","y":"two"}
base: 3 MiB body: intact
base: chunked 3 MiB body: intact
base: chunked response: intact
base: 20 requests over at most 2 upstream connections
base: with Tide stopped nginx answers 502
