--TEST--
Runtime hooks against a real Redis (Debian's redis-server, started by the test): 50 coroutines, each on its own connection, BLPOP an empty list with a 0.2 s timeout and finish in well under the 10 s a serial run takes, over a RESP client written on PHP streams and over phpredis (php8.2-redis); SET and GET from every coroutine come back intact
--SKIPIF--
<?php
if (!is_executable('/usr/bin/redis-server')) die('skip needs redis-server (apt-get install redis-server)');
if (!is_file(ini_get('extension_dir') . '/redis.so')) die('skip needs phpredis (apt-get install php8.2-redis)');
?>
--FILE--
<?php
require __DIR__ . '/../inc/dbservers.inc';
use function Tide\go;

$redis = new TideRedisServer();
$port = $redis->port;

/* RESP over a PHP stream: one command, one reply. */
function cmd($c, string ...$args)
{
    $out = '*' . count($args) . "\r\n";
    foreach ($args as $a) {
        $out .= '$' . strlen($a) . "\r\n$a\r\n";
    }
    fwrite($c, $out);
    return reply($c);
}

function reply($c)
{
    $line = fgets($c);
    if ($line === false) {
        throw new RuntimeException('connection closed');
    }
    $line = substr($line, 0, -2);
    switch ($line[0]) {
    case '+': return substr($line, 1);
    case '-': throw new RuntimeException(substr($line, 1));
    case ':': return (int) substr($line, 1);
    case '$':
        $n = (int) substr($line, 1);
        return $n < 0 ? null : substr(fread($c, $n + 2), 0, $n);
    case '*':
        $n = (int) substr($line, 1);
        if ($n < 0) {
            return null;
        }
        $a = [];
        for ($i = 0; $i < $n; $i++) {
            $a[] = reply($c);
        }
        return $a;
    }
    throw new RuntimeException("bad reply $line");
}

$nil = $ok = 0;
$t = microtime(true);
Tide\run(function () use ($port, &$nil, &$ok) {
    for ($i = 0; $i < 50; $i++) {
        go(function () use ($port, $i, &$nil, &$ok) {
            $c = stream_socket_client("tcp://127.0.0.1:$port", $errno, $errstr, 2);
            $nil += cmd($c, 'BLPOP', "tide:empty:$i", '0.2') === null;
            cmd($c, 'SET', "tide:k:$i", str_repeat("v$i", 1000));
            $ok += cmd($c, 'GET', "tide:k:$i") === str_repeat("v$i", 1000);
            fclose($c);
        });
    }
});
$took = microtime(true) - $t;
echo "PHP streams: 50 BLPOP of 0.2 s: $nil timed out empty, ", $took < 2.0 ? 'together well under 10 s' : "in $took s", "; SET/GET intact: $ok\n";

$r = tide_db_child_php(<<<'PHP'
        $port = (int) getenv('REDIS_PORT');
        $nil = $ok = 0;
        $t = microtime(true);
        Tide\run(function () use ($port, &$nil, &$ok) {
            for ($i = 0; $i < 50; $i++) {
                Tide\go(function () use ($port, $i, &$nil, &$ok) {
                    $r = new Redis();
                    $r->connect('127.0.0.1', $port, 2);
                    $nil += $r->rawCommand('BLPOP', "tide:empty:p$i", '0.2') === []; /* (its empty reply) */
                    $r->set("tide:p:$i", str_repeat("w$i", 1000));
                    $ok += $r->get("tide:p:$i") === str_repeat("w$i", 1000);
                    $r->close();
                });
            }
        });
        $took = microtime(true) - $t;
        echo "phpredis: 50 BLPOP of 0.2 s: $nil timed out empty, ", $took < 2.0 ? 'together well under 10 s' : "in $took s", "; SET/GET intact: $ok\n";
    PHP, ['igbinary', 'redis'], ['REDIS_PORT' => $port, 'TIDE_REACTOR' => getenv('TIDE_REACTOR') ?: null]);
echo $r['stdout'], $r['stderr'];
$redis->stop();
?>
--EXPECT--
PHP streams: 50 BLPOP of 0.2 s: 50 timed out empty, together well under 10 s; SET/GET intact: 50
phpredis: 50 BLPOP of 0.2 s: 50 timed out empty, together well under 10 s; SET/GET intact: 50
