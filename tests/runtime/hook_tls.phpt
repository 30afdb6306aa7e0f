--TEST--
HOOK_SSL/HOOK_TLS: tls:// and ssl:// connects and accepts, their handshakes, reads and writes, stream_socket_enable_crypto() on a tcp:// stream (both sides) and https:// wait in the calling coroutine: 10 TLS clients whose server answers after 0.5 s finish together; results, warnings and timeouts are the stock ones (the same client script with the hook off and outside coroutines prints the same); curl verifies the hooked server
--SKIPIF--
<?php
if (!extension_loaded('openssl')) die('skip needs ext/openssl');
?>
--FILE--
<?php
require __DIR__ . '/../inc/child.inc';
use function Tide\go;

$dir = sys_get_temp_dir() . '/tide-tls-' . getmypid();
@mkdir($dir);
/* (Our own openssl.cnf: a minimal system, such as the PHP 8.4 chroot, has none.) */
$cnf = ['config' => __DIR__ . '/hook_tls.cnf'];
$key = openssl_pkey_new(['private_key_bits' => 2048, 'private_key_type' => OPENSSL_KEYTYPE_RSA] + $cnf);
$cert = openssl_csr_sign(openssl_csr_new(['commonName' => 'localhost'], $key, $cnf), null, $key, 2,
                         ['x509_extensions' => 'v3_req'] + $cnf);
openssl_x509_export($cert, $pem);
openssl_pkey_export($key, $kpem, null, $cnf);
file_put_contents("$dir/cert.pem", $pem . $kpem);
file_put_contents("$dir/ca.pem", $pem);

/* The server: Tide coroutines on hooked streams, a child process of its own. */
file_put_contents("$dir/server.php", <<<'PHP'
<?php
use function Tide\go;
$dir = $argv[1];
Tide\run(function () use ($dir) {
    go(function () { Tide\Coroutine::sleep(120); exit(1); }); /* never outlives its test */
    $ctx = stream_context_create(['ssl' => ['local_cert' => "$dir/cert.pem"]]);
    $tls = stream_socket_server('tls://127.0.0.1:0', $e, $es, STREAM_SERVER_BIND | STREAM_SERVER_LISTEN, $ctx);
    $plain = stream_socket_server('tcp://127.0.0.1:0', $e, $es, STREAM_SERVER_BIND | STREAM_SERVER_LISTEN, $ctx);
    $serve = function ($c) {
        while (($line = fgets($c)) !== false) {
            if (str_starts_with($line, 'GET ')) {
                while (($h = fgets($c)) !== false && trim($h) !== '');
                fwrite($c, "HTTP/1.0 200 OK\r\nContent-Length: 11\r\n\r\nhello https");
                break;
            }
            if (str_starts_with($line, 'slow')) {
                Tide\Coroutine::sleep(0.5);
            }
            if (str_starts_with($line, 'silent')) {
                continue;
            }
            fwrite($c, 'got ' . $line);
        }
        fclose($c);
    };
    foreach ([$tls, $plain] as $s) {
        go(function () use ($s, $serve, $plain) {
            while (true) {
                $c = @stream_socket_accept($s, -1);
                if (!$c) {
                    continue; /* a client that failed its handshake */
                }
                go(function () use ($c, $serve, $s, $plain) {
                    if ($s === $plain) { /* STARTTLS */
                        if (trim((string) fgets($c)) !== 'STARTTLS') {
                            return;
                        }
                        fwrite($c, "OK\n");
                        if (!stream_socket_enable_crypto($c, true, STREAM_CRYPTO_METHOD_TLS_SERVER)) {
                            return;
                        }
                    }
                    $serve($c);
                });
            }
        });
    }
    echo 'READY ', explode(':', stream_socket_get_name($tls, false))[1], ' ',
         explode(':', stream_socket_get_name($plain, false))[1], "\n";
});
PHP);
$proc = proc_open(tide_child_argv(["$dir/server.php", $dir]), [1 => ['pipe', 'w'], 2 => ['file', "$dir/server.err", 'w']], $pipes, null, tide_child_env());
$status = proc_get_status($proc);
register_shutdown_function(function () use ($proc, $status) {
    /* Always, even after a fatal error: by pid. */
    if (proc_get_status($proc)['running']) {
        exec('kill -9 ' . $status['pid'] . ' 2>/dev/null');
    }
    proc_close($proc);
});
$ready = fgets($pipes[1]);
[, $port, $plainPort] = array_map('intval', explode(' ', trim((string) $ready)));
if (!$port) {
    echo "server did not start: ", file_get_contents("$dir/server.err");
}

function tls_client(string $dir, int $port, int $plainPort): string
{
    ob_start();
    $ok = ['ssl' => ['cafile' => "$dir/ca.pem", 'peer_name' => 'localhost']];
    foreach (['tls', 'ssl'] as $t) {
        $c = stream_socket_client("$t://127.0.0.1:$port", $errno, $errstr, 5, STREAM_CLIENT_CONNECT,
                                  stream_context_create($ok));
        fwrite($c, "hello $t\n");
        var_dump(fgets($c), stream_get_meta_data($c)['crypto']['protocol']);
        fclose($c);
    }
    /* STARTTLS: a tcp:// stream turned to TLS by both sides. */
    $c = stream_socket_client("tcp://127.0.0.1:$plainPort", $errno, $errstr, 5, STREAM_CLIENT_CONNECT,
                              stream_context_create($ok));
    fwrite($c, "STARTTLS\n");
    var_dump(fgets($c), stream_socket_enable_crypto($c, true, STREAM_CRYPTO_METHOD_TLS_CLIENT));
    fwrite($c, "upgraded\n");
    var_dump(fgets($c));
    $big = str_repeat('x', 200000) . "\n";
    var_dump(fwrite($c, $big), strlen(fgets($c)));
    /* A read that times out: as the stock one. */
    stream_set_timeout($c, 0, 300000);
    fwrite($c, "silent\n");
    var_dump(fread($c, 100), stream_get_meta_data($c)['timed_out']);
    fclose($c);
    /* A certificate for another name: PHP's warnings, false. */
    $c = @stream_socket_client("tls://127.0.0.1:$port", $errno, $errstr, 5, STREAM_CLIENT_CONNECT,
                               stream_context_create(['ssl' => ['cafile' => "$dir/ca.pem", 'peer_name' => 'other.example']]));
    var_dump($c, error_get_last()['message']);
    var_dump(file_get_contents("https://127.0.0.1:$port/", false, stream_context_create($ok)));
    return ob_get_clean();
}

$stock = tls_client($dir, $port, $plainPort);
Tide\run(function () use ($dir, $port, $plainPort, &$hooked, &$off) {
    $hooked = tls_client($dir, $port, $plainPort);
    Tide\Runtime::setHookFlags(Tide\HOOK_ALL & ~(Tide\HOOK_SSL | Tide\HOOK_TLS));
    $off = tls_client($dir, $port, $plainPort);
    Tide\Runtime::setHookFlags(Tide\HOOK_ALL);
});
echo $stock;
echo "hooked, in a coroutine, the same: ", var_export($hooked === $stock, true), "\n";
echo "hook off, in a coroutine, the same: ", var_export($off === $stock, true), "\n";
if ($hooked !== $stock) {
    echo $hooked;
}

/* Together: ten clients, each handshake and read in its own coroutine. */
$got = [];
$t = microtime(true);
Tide\run(function () use ($dir, $port, &$got) {
    for ($i = 0; $i < 10; $i++) {
        go(function () use ($dir, $port, $i, &$got) {
            $c = stream_socket_client("tls://127.0.0.1:$port", $errno, $errstr, 5, STREAM_CLIENT_CONNECT,
                stream_context_create(['ssl' => ['cafile' => "$dir/ca.pem"]]));
            fwrite($c, "slow $i\n");
            $got[$i] = fgets($c) === "got slow $i\n";
        });
    }
});
$took = microtime(true) - $t;
printf("10 TLS clients of a server answering after 0.5 s: %d right, together (under 2 s, not 5): %s\n",
       count(array_filter($got)), $took < 2.0 ? 'yes' : "no ($took s)");

/* curl, another TLS stack, checks the hooked server's side. */
exec('curl -s --max-time 5 --cacert ' . escapeshellarg("$dir/ca.pem") . " https://127.0.0.1:$port/ 2>&1", $out, $rc);
echo "curl: ", implode("\n", $out), " (exit $rc)\n";

array_map('unlink', glob("$dir/*"));
rmdir($dir);
?>
--EXPECTF--
string(14) "got hello tls
"
string(7) "TLSv1.3"
string(14) "got hello ssl
"
string(7) "TLSv1.3"
string(3) "OK
"
bool(true)
string(13) "got upgraded
"
int(200001)
int(200005)
bool(false)
bool(true)
bool(false)
string(%d) "stream_socket_client(): Unable to connect to tls://127.0.0.1:%d (Unknown error)"
string(11) "hello https"
hooked, in a coroutine, the same: true
hook off, in a coroutine, the same: true
10 TLS clients of a server answering after 0.5 s: 10 right, together (under 2 s, not 5): yes
curl: hello https (exit 0)
