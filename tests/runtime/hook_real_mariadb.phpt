--TEST--
Runtime hooks against a real MariaDB (Debian's mariadb-server, started by the test): 50 coroutines, half through PDO MySQL and half through mysqli (both mysqlnd, over PHP streams), each on its own connection running SELECT SLEEP(0.2), finish in well under the 10 s a serial run takes; prepared inserts and selects from every coroutine come back intact
--SKIPIF--
<?php
if (!is_executable('/usr/sbin/mariadbd')) die('skip needs mariadbd (apt-get install mariadb-server)');
foreach (['mysqlnd', 'pdo_mysql', 'mysqli'] as $e) {
    if (!is_file(ini_get('extension_dir') . "/$e.so")) die("skip needs $e (apt-get install php8.2-mysql)");
}
?>
--FILE--
<?php
require __DIR__ . '/../inc/dbservers.inc';

$db = new TideMariaDb();
$r = tide_db_child_php(<<<'PHP'
    use function Tide\go;
    $port = (int) getenv('DB_PORT');
    $setup = new PDO("mysql:host=127.0.0.1;port=$port", 'root', '');
    $setup->exec('CREATE DATABASE tide');
    $setup->exec('CREATE TABLE tide.t (id INT PRIMARY KEY, v VARCHAR(64))');
    $slept = $rows = 0;
    $t = microtime(true);
    Tide\run(function () use ($port, &$slept, &$rows) {
        for ($i = 0; $i < 25; $i++) {
            go(function () use ($port, $i, &$slept, &$rows) {
                $pdo = new PDO("mysql:host=127.0.0.1;port=$port;dbname=tide", 'root', '',
                               [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION]);
                $row = $pdo->query("SELECT SLEEP(0.2) AS s, $i AS i")->fetch(PDO::FETCH_ASSOC);
                $slept += $row['s'] == 0 && $row['i'] == $i;
                $pdo->prepare('INSERT INTO t VALUES (?, ?)')->execute([$i, "pdo $i"]);
                $q = $pdo->prepare('SELECT v FROM t WHERE id = ?');
                $q->execute([$i]);
                $rows += $q->fetchColumn() === "pdo $i";
            });
            go(function () use ($port, $i, &$slept, &$rows) {
                $m = mysqli_connect('127.0.0.1', 'root', '', 'tide', $port);
                $row = mysqli_fetch_assoc(mysqli_query($m, 'SELECT SLEEP(0.2) AS s, ' . (100 + $i) . ' AS i'));
                $slept += $row['s'] == 0 && $row['i'] == 100 + $i;
                $st = mysqli_prepare($m, 'INSERT INTO t VALUES (?, ?)');
                $id = 100 + $i;
                $v = "mysqli $i";
                mysqli_stmt_bind_param($st, 'is', $id, $v);
                mysqli_stmt_execute($st);
                $got = mysqli_fetch_row(mysqli_query($m, "SELECT v FROM t WHERE id = $id"))[0] ?? null;
                $rows += $got === "mysqli $i";
                mysqli_close($m);
            });
        }
    });
    $took = microtime(true) - $t;
    echo "50 SELECT SLEEP(0.2) (25 PDO, 25 mysqli): $slept answered, ", $took < 2.0 ? 'together well under 10 s' : "in $took s", "; rows written and read back: $rows\n";
    echo 'rows in the table: ', $setup->query('SELECT COUNT(*) FROM tide.t')->fetchColumn(), "\n";
PHP, ['mysqlnd', 'pdo', 'pdo_mysql', 'mysqli'], ['DB_PORT' => $db->port, 'TIDE_REACTOR' => getenv('TIDE_REACTOR') ?: null]);
echo $r['stdout'], $r['stderr'];
$db->stop();
?>
--EXPECT--
50 SELECT SLEEP(0.2) (25 PDO, 25 mysqli): 50 answered, together well under 10 s; rows written and read back: 50
rows in the table: 50
