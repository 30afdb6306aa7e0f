--TEST--
HOOK_CURL: curl_exec() and curl_multi_select() wait on the reactor in the calling coroutine, against a real HTTP server (Tide's, in a child): 10 coroutines each fetching a 1 s page finish together, three coroutines each driving a curl_multi of 5 such pages too; every result, getinfo, errno, callback and printed body is the stock one (the same script with the hook off and outside coroutines prints the same)
--SKIPIF--
<?php
if (!is_file(ini_get('extension_dir') . '/curl.so')) die('skip needs ext/curl (apt-get install php8.2-curl)');
?>
--INI--
extension=curl
--FILE--
<?php
require __DIR__ . '/../inc/http.inc';
use function Tide\go;

$srv = new TideServerProc(<<<'PHP'
    $s = new Tide\Http\Server('127.0.0.1', 0, TIDE_TEST_MODE);
    $s->set(['worker_num' => 1]);
    $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
    $s->on('request', function (Tide\Http\Request $req, Tide\Http\Response $res) {
        $uri = $req->server['request_uri'];
        if ($uri === '/slow') {
            Tide\Coroutine::sleep((float) ($req->get['s'] ?? 1));
            $res->end('slow ' . ($req->get['i'] ?? ''));
        } elseif ($uri === '/echo') {
            $res->header('Content-Type', 'application/json');
            $res->end(json_encode(['method' => $req->getMethod(), 'post' => $req->post,
                                   'x' => $req->header['x-test'] ?? null]));
        } elseif ($uri === '/big') {
            $res->end(str_repeat('0123456789abcdef', 65536));
        } elseif ($uri === '/redirect') {
            $res->redirect('/echo');
        } else {
            $res->status(404);
            $res->end('not here');
        }
    });
    $s->start();
PHP);
$srv->waitReady(1);
$base = "http://127.0.0.1:{$srv->port}";

/* Everything a program does with ext/curl; returns what it saw. */
function curl_script(string $base): string
{
    ob_start();
    $ch = curl_init("$base/echo");
    curl_setopt_array($ch, [CURLOPT_RETURNTRANSFER => true, CURLOPT_HTTPHEADER => ['X-Test: yes']]);
    var_dump(curl_exec($ch), curl_getinfo($ch, CURLINFO_HTTP_CODE), curl_getinfo($ch, CURLINFO_CONTENT_TYPE));
    curl_setopt($ch, CURLOPT_POSTFIELDS, ['a' => '1', 'b' => 'two']);
    var_dump(curl_exec($ch), curl_errno($ch), curl_error($ch));  /* the same handle again */
    curl_close($ch);

    $ch = curl_init("$base/echo");           /* no RETURNTRANSFER: printed, true */
    var_dump(curl_exec($ch));
    $ch = curl_init("$base/big");
    $chunks = $bytes = 0;
    curl_setopt($ch, CURLOPT_WRITEFUNCTION, function ($ch, $data) use (&$chunks, &$bytes) {
        $chunks++;
        $bytes += strlen($data);
        return strlen($data);
    });
    $headers = [];
    curl_setopt($ch, CURLOPT_HEADERFUNCTION, function ($ch, $h) use (&$headers) {
        if (preg_match('/^content-length:/i', $h)) {
            $headers[] = trim($h);
        }
        return strlen($h);
    });
    var_dump(curl_exec($ch), $bytes, $chunks > 0, $headers);

    $file = tmpfile();
    $ch = curl_init("$base/big");
    curl_setopt($ch, CURLOPT_FILE, $file);
    var_dump(curl_exec($ch));
    rewind($file);
    var_dump(md5(stream_get_contents($file)) === md5(str_repeat('0123456789abcdef', 65536)));

    $ch = curl_init("$base/missing");
    curl_setopt_array($ch, [CURLOPT_RETURNTRANSFER => true, CURLOPT_FAILONERROR => true]);
    var_dump(curl_exec($ch), curl_errno($ch), curl_error($ch));
    curl_setopt($ch, CURLOPT_FAILONERROR, false);
    var_dump(curl_exec($ch), curl_getinfo($ch, CURLINFO_RESPONSE_CODE));

    $ch = curl_init("$base/redirect");
    curl_setopt_array($ch, [CURLOPT_RETURNTRANSFER => true, CURLOPT_FOLLOWLOCATION => true]);
    var_dump(curl_exec($ch), curl_getinfo($ch, CURLINFO_REDIRECT_COUNT));

    $ch = curl_init("$base/slow?s=2");
    curl_setopt_array($ch, [CURLOPT_RETURNTRANSFER => true, CURLOPT_TIMEOUT_MS => 200]);
    var_dump(curl_exec($ch), curl_errno($ch));

    $ch = curl_init('http://127.0.0.1:1/');
    curl_setopt($ch, CURLOPT_RETURNTRANSFER, true);
    var_dump(curl_exec($ch), curl_errno($ch));

    /* curl_multi, as Guzzle drives it. */
    $mh = curl_multi_init();
    $hs = [];
    foreach (['a', 'b', 'c'] as $i) {
        $hs[$i] = curl_init("$base/slow?s=0.2&i=$i");
        curl_setopt($hs[$i], CURLOPT_RETURNTRANSFER, true);
        curl_multi_add_handle($mh, $hs[$i]);
    }
    do {
        $status = curl_multi_exec($mh, $active);
        if ($active) {
            curl_multi_select($mh, 1.0);
        }
    } while ($active && $status === CURLM_OK);
    $results = [];
    while ($info = curl_multi_info_read($mh)) {
        $results[] = $info['result'];
    }
    var_dump($results);
    foreach ($hs as $i => $h) {
        echo "$i: ", curl_multi_getcontent($h), "\n";
        curl_multi_remove_handle($mh, $h);
    }
    curl_multi_close($mh);
    return ob_get_clean();
}

$stock = curl_script($base);
Tide\run(function () use ($base, &$hooked, &$off) {
    $hooked = curl_script($base);
    Tide\Runtime::setHookFlags(Tide\HOOK_ALL & ~Tide\HOOK_CURL);
    $off = curl_script($base);
    Tide\Runtime::setHookFlags(Tide\HOOK_ALL);
});
echo $stock;
echo "hooked, in a coroutine, the same: ", var_export($hooked === $stock, true), "\n";
echo "hook off, in a coroutine, the same: ", var_export($off === $stock, true), "\n";
if ($hooked !== $stock) {
    echo $hooked;
}

/* Together. */
$got = [];
$t = microtime(true);
Tide\run(function () use ($base, &$got) {
    for ($i = 0; $i < 10; $i++) {
        go(function () use ($base, $i, &$got) {
            $ch = curl_init("$base/slow?i=$i");
            curl_setopt($ch, CURLOPT_RETURNTRANSFER, true);
            $got[$i] = curl_exec($ch) === "slow $i";
        });
    }
});
$took = microtime(true) - $t;
printf("10 x curl_exec() of a 1 s page: %d right, together (under 4 s, not 10): %s\n",
       count(array_filter($got)), $took < 4.0 ? 'yes' : "no ($took s)");

$got = [];
$t = microtime(true);
Tide\run(function () use ($base, &$got) {
    for ($c = 0; $c < 3; $c++) {
        go(function () use ($base, $c, &$got) {
            $mh = curl_multi_init();
            $hs = [];
            for ($i = 0; $i < 5; $i++) {
                $hs[$i] = curl_init("$base/slow?i=$c.$i");
                curl_setopt($hs[$i], CURLOPT_RETURNTRANSFER, true);
                curl_multi_add_handle($mh, $hs[$i]);
            }
            do {
                $status = curl_multi_exec($mh, $active);
                if ($active) {
                    curl_multi_select($mh, 5.0);
                }
            } while ($active && $status === CURLM_OK);
            foreach ($hs as $i => $h) {
                $got["$c.$i"] = curl_multi_getcontent($h) === "slow $c.$i";
            }
        });
    }
});
$took = microtime(true) - $t;
printf("3 coroutines x curl_multi of 5 pages of 1 s: %d right, together (under 2 s, not 3): %s\n",
       count(array_filter($got)), $took < 2.0 ? 'yes' : "no ($took s)");
$srv->stop();
?>
--EXPECT--
string(38) "{"method":"GET","post":null,"x":"yes"}"
int(200)
string(16) "application/json"
string(54) "{"method":"POST","post":{"a":"1","b":"two"},"x":"yes"}"
int(0)
string(0) ""
{"method":"GET","post":null,"x":null}bool(true)
bool(true)
int(1048576)
bool(true)
array(1) {
  [0]=>
  string(23) "Content-Length: 1048576"
}
bool(true)
bool(true)
bool(false)
int(22)
string(37) "The requested URL returned error: 404"
string(8) "not here"
int(404)
string(37) "{"method":"GET","post":null,"x":null}"
int(1)
bool(false)
int(28)
bool(false)
int(7)
array(3) {
  [0]=>
  int(0)
  [1]=>
  int(0)
  [2]=>
  int(0)
}
a: slow a
b: slow b
c: slow c
hooked, in a coroutine, the same: true
hook off, in a coroutine, the same: true
10 x curl_exec() of a 1 s page: 10 right, together (under 4 s, not 10): yes
3 coroutines x curl_multi of 5 pages of 1 s: 15 right, together (under 2 s, not 3): yes