<?php
/*
 * The application of bench/hooks_db.sh: per request, one Redis GET and one MySQL
 * primary-key SELECT, answered as JSON. The same code serves both sides:
 *
 *   php-fpm:  the front controller includes this file (DB_PORT and REDIS_PORT from
 *             fastcgi_param), with persistent connections, as production php-fpm runs.
 *   Tide:     php -d extension=tide.so bench/hooks_db_app.php PORT WORKERS REDIS_PORT DB_PORT
 *             each worker keeps a pool of connections (a coroutine takes one per request;
 *             one connection never serves two coroutines at once), runtime hooks on.
 */
function bench_handle(Redis $redis, PDO $pdo): string
{
    $id = random_int(1, 1000);
    $cached = $redis->get("user:$id");
    $q = $pdo->prepare('SELECT id, name FROM users WHERE id = ?');
    $q->execute([$id]);
    return json_encode(['cached' => $cached, 'row' => $q->fetch(PDO::FETCH_ASSOC)]);
}

function bench_connect(int $redisPort, int $dbPort, bool $persistent): array
{
    $redis = new Redis();
    $persistent ? $redis->pconnect('127.0.0.1', $redisPort) : $redis->connect('127.0.0.1', $redisPort);
    $pdo = new PDO("mysql:host=127.0.0.1;port=$dbPort;dbname=bench", 'root', '',
                   [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION, PDO::ATTR_PERSISTENT => $persistent]);
    return [$redis, $pdo];
}

if (PHP_SAPI === 'fpm-fcgi') {
    [$redis, $pdo] = bench_connect((int) $_SERVER['REDIS_PORT'], (int) $_SERVER['DB_PORT'], true);
    header('Content-Type: application/json');
    echo bench_handle($redis, $pdo);
    return;
}

[, $port, $workers, $redisPort, $dbPort] = $argv;
$s = new Tide\Http\Server('127.0.0.1', (int) $port, Tide\MODE_PROCESS);
$s->set(['worker_num' => (int) $workers, 'log_level' => 4]);
$pool = null;
$s->on('workerStart', function ($s, $id) use (&$pool) {
    $pool = new Tide\Coroutine\Channel(256);
    echo "READY {$s->ports[0]->port} $id\n";
});
$made = 0;
$s->on('request', function ($req, $res) use (&$pool, &$made, $redisPort, $dbPort) {
    /* A pooled pair, or a new one while fewer than 256 exist. */
    if ($pool->isEmpty() && $made < 256) {
        $made++;
        $conn = bench_connect((int) $redisPort, (int) $dbPort, false);
    } else {
        $conn = $pool->pop();
    }
    try {
        $res->header('Content-Type', 'application/json');
        $res->end(bench_handle(...$conn));
    } finally {
        $pool->push($conn);
    }
});
$s->start();
