--TEST--
HOOK_DNS: gethostbyname(), gethostbynamel() and the lookup inside stream_socket_client() wait in the calling coroutine: 25 lookups that a DNS server answers after 0.3 s each finish together (a serial run takes 7.5 s), connects to names reach the addresses the server gave, failures read as PHP's own; with the hook off a lookup blocks the whole thread, as stock PHP
--SKIPIF--
<?php
exec('unshare -mn true 2>&1', $o, $rc);
if ($rc !== 0) die('skip needs a private mount and network namespace (unshare -mn, as root): ' . implode(' ', $o));
if (!is_executable('/usr/sbin/ip') && !is_executable('/sbin/ip')) die('skip needs ip (apt-get install iproute2)');
?>
--FILE--
<?php
require __DIR__ . '/../inc/child.inc';

/*
 * The child runs in namespaces of its own: a loopback of its own on which it can serve
 * DNS on port 53, and an /etc/resolv.conf (bind-mounted over the real one) that points
 * there. The DNS server is a coroutine of the child itself: if a lookup blocked the
 * thread, nothing would answer it.
 */
$dir = sys_get_temp_dir() . '/tide-dns-' . getmypid();
@mkdir($dir);
file_put_contents("$dir/resolv.conf", "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n");
file_put_contents("$dir/child.php", <<<'PHP'
<?php
use Tide\Coroutine;
use function Tide\go;

/* A DNS answer to query $q: for NAME.tide.test an A record from $ips[NAME] (no AAAA). */
function answer(string $q, array $ips): string
{
    $labels = [];
    for ($i = 12; ($n = ord($q[$i])) > 0; $i += $n + 1) {
        $labels[] = substr($q, $i + 1, $n);
    }
    $question = substr($q, 12, $i + 5 - 12);
    $type = unpack('n', $q, $i + 1)[1];
    $ip = $ips[$labels[0]] ?? null;
    $rcode = $ip === null ? 3 : 0; /* NXDOMAIN for names we do not know */
    $an = $type === 1 && $ip !== null ? "\xc0\x0c" . pack('nnNn', 1, 1, 60, 4) . inet_pton($ip) : '';
    return substr($q, 0, 2) . pack('n', 0x8180 | $rcode) . pack('nnnn', 1, $an === '' ? 0 : 1, 0, 0)
        . $question . $an;
}

$mode = $argv[1];
Tide\run(function () use ($mode) {
    $ips = ['gone' => null];
    for ($i = 1; $i <= 25; $i++) {
        $ips["host$i"] = "127.0.0.$i";
    }
    $dns = stream_socket_server('udp://127.0.0.1:53', $errno, $errstr, STREAM_SERVER_BIND);
    if (!$dns) {
        echo "no DNS server: $errstr\n";
        return;
    }
    $queries = 0;
    go(function () use ($dns, $ips, &$queries) {
        while (($q = stream_socket_recvfrom($dns, 512, 0, $peer)) !== false && $q !== '') {
            $queries++;
            go(function () use ($dns, $q, $peer, $ips) {
                Coroutine::sleep(0.3);
                stream_socket_sendto($dns, answer($q, $ips), 0, $peer);
            });
        }
    });

    if ($mode === 'off') {
        Tide\Runtime::setHookFlags(Tide\HOOK_ALL & ~Tide\HOOK_DNS);
        $ticks = 0;
        go(function () use (&$ticks) { while ($ticks < 1000) { $ticks++; Coroutine::sleep(0.01); } });
        $t = microtime(true);
        $r = gethostbyname('host1.tide.test');
        /* Nobody could answer while the thread waited: the resolver gave up after 1 s. */
        printf("off: %s, other coroutines ran during it: %s, took about the resolver's timeout: %s\n",
               $r, $ticks > 1 ? 'yes' : 'no', microtime(true) - $t >= 0.9 ? 'yes' : 'no');
        $ticks = 1000;
        fclose($dns);
        return;
    }

    $t = microtime(true);
    $got = [];
    $done = new Tide\Coroutine\Channel(100);
    for ($i = 1; $i <= 25; $i++) {
        go(function () use ($i, &$got, $done) {
            $got[$i] = gethostbyname("host$i.tide.test");
            $done->push(1);
        });
    }
    for ($i = 1; $i <= 25; $i++) {
        $done->pop();
    }
    $took = microtime(true) - $t;
    ksort($got);
    $right = 0;
    foreach ($got as $i => $ip) {
        $right += $ip === "127.0.0.$i";
    }
    printf("25 gethostbyname(): %d right, together in under 1.5 s: %s\n", $right, $took < 1.5 ? 'yes' : "no ($took s)");

    var_dump(gethostbynamel('host7.tide.test'));
    var_dump(gethostbyname('gone.tide.test'), gethostbynamel('gone.tide.test'));

    /* Connects to names: the lookups run together, and each reaches its address. */
    $srv = stream_socket_server('tcp://0.0.0.0:0');
    $port = (int) explode(':', stream_socket_get_name($srv, false))[1];
    go(function () use ($srv) {
        for ($i = 0; $i < 5; $i++) {
            $c = stream_socket_accept($srv, 5, $peer);
            fwrite($c, "hello\n");
            fclose($c);
        }
    });
    $t = microtime(true);
    $seen = [];
    foreach ([3, 4, 5, 6, 8] as $i) {
        go(function () use ($i, $port, &$seen, $done) {
            $c = stream_socket_client("tcp://host$i.tide.test:$port", $errno, $errstr, 5);
            $seen[$i] = $c ? explode(':', stream_socket_get_name($c, true))[0] . ', ' . trim(fgets($c)) : "failed: $errstr";
            $done->push(1);
        });
    }
    for ($i = 0; $i < 5; $i++) {
        $done->pop();
    }
    $took = microtime(true) - $t;
    ksort($seen);
    foreach ($seen as $i => $s) {
        echo "host$i.tide.test: $s\n";
    }
    printf("5 connects by name together in under 1.2 s: %s\n", $took < 1.2 ? 'yes' : "no ($took s)");

    $c = @stream_socket_client("tcp://gone.tide.test:$port", $errno, $errstr, 5);
    var_dump($c, $errno, $errstr);
    $c = stream_socket_client("tcp://gone.tide.test:$port", $errno, $errstr, 5);
    echo "queries the server answered: ", $queries >= 25 + 2 + 5 ? 'all' : $queries, "\n";
    fclose($dns);
});
PHP);
foreach (['on', 'off'] as $mode) {
    $cmd = 'ip link set lo up && mount --bind ' . escapeshellarg("$dir/resolv.conf") . ' /etc/resolv.conf && exec '
         . implode(' ', array_map('escapeshellarg', tide_child_argv(["$dir/child.php", $mode])));
    $r = tide_child_run(['unshare', '-mn', 'sh', '-c', $cmd], tide_child_env(), 30);
    echo $r['stdout'], $r['stderr'];
    if ($r['status'] !== 0 || $r['timed_out']) {
        echo "child status {$r['status']}", $r['timed_out'] ? ' (timed out)' : '', "\n";
    }
}
?>
--CLEAN--
<?php
$dir = sys_get_temp_dir() . '/tide-dns-' . getmypid();
@unlink("$dir/resolv.conf");
@unlink("$dir/child.php");
@rmdir($dir);
?>
--EXPECTF--
25 gethostbyname(): 25 right, together in under 1.5 s: yes
array(1) {
  [0]=>
  string(9) "127.0.0.7"
}
string(14) "gone.tide.test"
bool(false)
host3.tide.test: 127.0.0.3, hello
host4.tide.test: 127.0.0.4, hello
host5.tide.test: 127.0.0.5, hello
host6.tide.test: 127.0.0.6, hello
host8.tide.test: 127.0.0.8, hello
5 connects by name together in under 1.2 s: yes
bool(false)
int(0)
string(%d) "php_network_getaddresses: getaddrinfo for gone.tide.test failed: %s"

Warning: stream_socket_client(): php_network_getaddresses: getaddrinfo for gone.tide.test failed: %s in %s on line %d

Warning: stream_socket_client(): Unable to connect to tcp://gone.tide.test:%d (php_network_getaddresses: getaddrinfo for gone.tide.test failed: %s) in %s on line %d
queries the server answered: all
off: host1.tide.test, other coroutines ran during it: no, took about the resolver's timeout: yes
