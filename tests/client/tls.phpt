--TEST--
Tide\Coroutine\Client: SOCK_TCP | Tide\SSL against PHP's ssl:// server in the same Tide\run(): no verification by default (as Swoole), ssl_verify_peer with ssl_cafile and ssl_host_name, a failed verification (errCode 1018), getPeerCert(), and enableSSL() on a plain connection
--EXTENSIONS--
tide
openssl
--FILE--
<?php
require __DIR__ . '/listen.inc';

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

Tide\run(function () use ($dir, $pem) {
    $ctx = stream_context_create(['ssl' => ['local_cert' => "$dir/cert.pem"]]);
    [$srv, $port] = tide_test_listen('ssl', $ctx);
    [$plain, $pport] = tide_test_listen('tcp', $ctx);
    $serve = function ($c) {
        while (($l = fgets($c)) !== false) {
            fwrite($c, "got $l");
        }
    };
    Tide\go(function () use ($srv, $serve) {
        for ($i = 0; $i < 3; $i++) {
            if ($c = @stream_socket_accept($srv, 5)) {
                Tide\go($serve, $c);
            }
        }
    });
    Tide\go(function () use ($plain, $serve) {
        $c = stream_socket_accept($plain, 5);
        fwrite($c, "plain\n");
        if (stream_socket_enable_crypto($c, true, STREAM_CRYPTO_METHOD_TLS_SERVER)) {
            $serve($c);
        }
    });

    $c = new Tide\Coroutine\Client(Tide\SOCK_TCP | Tide\SSL);
    $c->set(['open_eof_split' => true, 'package_eof' => "\n", 'timeout' => 5]);
    var_dump($c->connect('127.0.0.1', $port), $c->send("one\ntwo\n"), $c->recv(), $c->recv());
    var_dump($c->getPeerCert() === $pem);
    $c->close();

    $c = new Tide\Coroutine\Client(Tide\SOCK_TCP | Tide\SSL);
    $c->set(['ssl_verify_peer' => true, 'ssl_cafile' => "$dir/ca.pem", 'ssl_host_name' => 'localhost', 'timeout' => 5]);
    var_dump($c->connect('127.0.0.1', $port), $c->send("verified\n"), $c->recv());
    $c->close();

    $c = new Tide\Coroutine\Client(Tide\SOCK_TCP | Tide\SSL);
    $c->set(['ssl_verify_peer' => true, 'timeout' => 5]);   /* an unknown CA */
    var_dump($c->connect('127.0.0.1', $port), $c->errCode, $c->isConnected());

    $c = new Tide\Coroutine\Client(Tide\SOCK_TCP);
    $c->set(['timeout' => 5]);
    var_dump($c->connect('127.0.0.1', $pport), $c->recv(), $c->getPeerCert(), $c->enableSSL());
    var_dump($c->send("after STARTTLS\n"), $c->recv(), $c->getPeerCert() === $pem);
    $c->close();
});
@unlink("$dir/cert.pem");
@unlink("$dir/ca.pem");
@rmdir($dir);
?>
--EXPECT--
bool(true)
int(8)
string(8) "got one
"
string(8) "got two
"
bool(true)
bool(true)
int(9)
string(13) "got verified
"
bool(false)
int(1018)
bool(false)
bool(true)
string(6) "plain
"
bool(false)
bool(true)
int(15)
string(19) "got after STARTTLS
"
bool(true)
