--TEST--
Tide\Coroutine\Http\Client: 50 clients in 50 coroutines wait together (the raw server answers only once all 50 requests are in, so a client that blocked the process would never finish); https against a PHP ssl:// server with a self-signed certificate (refused with ssl_verify_peer and no CA, accepted with ssl_cafile)
--SKIPIF--
<?php
if (!extension_loaded('openssl')) die('skip needs ext/openssl');
?>
--EXTENSIONS--
tide
--FILE--
<?php
require __DIR__ . '/../inc/raw_http.inc';

Tide\run(function () {
    $ch = new Tide\Coroutine\Channel(50);
    $waiting = 0;
    $port = tide_raw_server(function ($path, $n) use (&$waiting, $ch) {
        if (++$waiting === 50) {
            for ($i = 0; $i < 50; $i++) {
                $ch->push(true);
            }
        }
        $ch->pop(5);
        return "HTTP/1.1 200 OK\r\nContent-Length: " . strlen($path) . "\r\n\r\n$path";
    }, 50);
    $wg = new Tide\Coroutine\WaitGroup();
    $ok = 0;
    $t = microtime(true);
    for ($i = 0; $i < 50; $i++) {
        $wg->add();
        Tide\go(function () use ($i, $port, $wg, &$ok) {
            $c = new Tide\Coroutine\Http\Client('127.0.0.1', $port);
            if ($c->get("/c$i") && $c->body === "/c$i") {
                $ok++;
            }
            $wg->done();
        });
    }
    $wg->wait();
    echo "$ok of 50 answered, ", microtime(true) - $t < 4 ? 'together' : 'too slowly', "\n";

    // https: a self-signed certificate on a PHP ssl:// server in this process
    $dir = sys_get_temp_dir() . '/tide-client-tls-' . getmypid();
    @mkdir($dir);
    $cnf = ['config' => __DIR__ . '/../runtime/hook_tls.cnf'];
    $key = openssl_pkey_new(['private_key_bits' => 2048, 'private_key_type' => OPENSSL_KEYTYPE_RSA] + $cnf);
    $cert = openssl_csr_sign(openssl_csr_new(['commonName' => 'localhost'], $key, $cnf), null, $key, 2,
                             ['x509_extensions' => 'v3_req'] + $cnf);
    openssl_x509_export($cert, $pem);
    openssl_pkey_export($key, $kpem, null, $cnf);
    file_put_contents("$dir/cert.pem", $pem . $kpem);
    file_put_contents("$dir/ca.pem", $pem);
    $ctx = stream_context_create(['ssl' => ['local_cert' => "$dir/cert.pem"]]);
    $server = stream_socket_server('ssl://127.0.0.1:0', $e, $es, STREAM_SERVER_BIND | STREAM_SERVER_LISTEN, $ctx);
    $tport = (int) substr(strrchr(stream_socket_get_name($server, false), ':'), 1);
    Tide\go(function () use ($server) {
        for ($i = 0; $i < 2; $i++) {
            $conn = @stream_socket_accept($server, 5);
            if (!$conn) {
                continue; // the client that refused the certificate
            }
            while (($h = fgets($conn)) !== false && trim($h) !== '');
            fwrite($conn, "HTTP/1.1 200 OK\r\nContent-Length: 11\r\nConnection: close\r\n\r\nhello https");
            fclose($conn);
        }
        fclose($server);
    });
    $c = new Tide\Coroutine\Http\Client('127.0.0.1', $tport, true);
    $c->set(['ssl_verify_peer' => true, 'ssl_host_name' => 'localhost', 'timeout' => 5]);
    $ok = @$c->get('/');
    echo "unverified: ", var_export($ok, true), " {$c->statusCode}\n";
    $c = new Tide\Coroutine\Http\Client('127.0.0.1', $tport, true);
    $c->set(['ssl_verify_peer' => true, 'ssl_host_name' => 'localhost', 'ssl_cafile' => "$dir/ca.pem", 'timeout' => 5]);
    $ok = $c->get('/');
    echo "https: ", var_export($ok, true), " {$c->statusCode} {$c->body} ssl=", var_export($c->ssl, true), "\n";
    array_map('unlink', glob("$dir/*"));
    rmdir($dir);
});
?>
--EXPECT--
50 of 50 answered, together
unverified: false -1
https: true 200 hello https ssl=true
