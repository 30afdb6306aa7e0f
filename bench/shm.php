<?php
/*
 * Tide\Table against APCu, in the same run: get, set and incr per second, from one process
 * and from two at once (pcntl_fork: both share the memory), for tables of 1,000 and
 * 1,000,000 rows; then the fill ratio random keys reach before set() fails.
 *
 *   php -n -d extension=modules/tide.so -d extension=apcu -d apc.enable_cli=1 \
 *       -d apc.shm_size=512M -d apc.entries_hint=1048576 -d memory_limit=2G bench/shm.php [secs]
 *
 * Keys are "k<number>" drawn at random from the table's rows, values one int (APCu stores
 * a zval: an int is its cheapest value). Each cell: the median of 3 rounds.
 */
if (!extension_loaded('tide') || !extension_loaded('apcu') || !ini_get('apc.enable_cli')) {
    fwrite(STDERR, "needs tide and apcu with apc.enable_cli=1 (apt-get install php8.2-apcu)\n");
    exit(1);
}
$secs = (float) ($argv[1] ?? 1.0);

function table(int $rows): Tide\Table
{
    $t = new Tide\Table($rows);
    $t->column('v', Tide\Table::TYPE_INT);
    $t->create();
    return $t;
}

/* Operations per second of $op over $rows keys, in $procs processes at once. */
function rate(string $op, string $kind, $t, int $rows, int $procs, float $secs): float
{
    $start = microtime(true) + 0.05;
    $pipes = [];
    $kids = [];
    for ($p = 0; $p < $procs; $p++) {
        $pair = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, 0);
        $pid = pcntl_fork();
        if ($pid === 0) {
            fclose($pair[0]);
            mt_srand(getmypid());
            while (microtime(true) < $start) {
            }
            $n = 0;
            $until = $start + $secs;
            if ($kind === 'tide') {
                while (microtime(true) < $until) {
                    for ($i = 0; $i < 1000; $i++) {
                        $k = 'k' . mt_rand(0, $rows - 1);
                        match ($op) {
                            'floor' => strlen($k),
                            'get' => $t->get($k, 'v'),
                            'set' => $t->set($k, ['v' => $i]),
                            'incr' => $t->incr($k, 'v'),
                        };
                    }
                    $n += 1000;
                }
            } else {
                while (microtime(true) < $until) {
                    for ($i = 0; $i < 1000; $i++) {
                        $k = 'k' . mt_rand(0, $rows - 1);
                        match ($op) {
                            'floor' => strlen($k),
                            'get' => apcu_fetch($k),
                            'set' => apcu_store($k, $i),
                            'incr' => apcu_inc($k),
                        };
                    }
                    $n += 1000;
                }
            }
            fwrite($pair[1], (string) ($n / (microtime(true) - $start)));
            exit(0);
        }
        fclose($pair[1]);
        $pipes[] = $pair[0];
        $kids[] = $pid;
    }
    $total = 0.0;
    foreach ($pipes as $i => $pp) {
        $total += (float) stream_get_contents($pp);
        pcntl_waitpid($kids[$i], $st);
    }
    return $total;
}

function median(array $v): float
{
    sort($v);
    return $v[intdiv(count($v), 2)];
}

printf("Tide\\Table vs APCu %s, PHP %s, %s, %d s per round, median of 3\n\n",
       phpversion('apcu'), PHP_VERSION, date('Y-m-d'), $secs);
echo "The floor: the same loop (a random key, a match, one call) calling strlen(\$k): what a\n";
echo "PHP loop costs around an operation. Net = time per operation minus the floor's.\n\n";
echo "| rows | op | processes | Tide\\Table ops/s | APCu ops/s | Tide / APCu | Tide net ns/op | APCu net ns/op | net APCu / Tide |\n|---|---|---|---|---|---|---|---|---|\n";
foreach ([1000, 1000000] as $rows) {
    $t = table($rows);
    apcu_clear_cache();
    for ($i = 0; $i < $rows; $i++) {
        $t->set("k$i", ['v' => $i]);
        apcu_store("k$i", $i);
    }
    $floor = [];
    foreach ([1, 2] as $procs) {
        $f = [];
        for ($r = 0; $r < 3; $r++) {
            $f[] = rate('floor', 'tide', $t, $rows, $procs, $secs);
        }
        $floor[$procs] = median($f) / $procs; /* per process */
        printf("| %s | floor | %d | %s | | | | | |\n", number_format($rows), $procs, number_format(median($f)));
    }
    foreach (['get', 'set', 'incr'] as $op) {
        foreach ([1, 2] as $procs) {
            $a = $b = [];
            for ($r = 0; $r < 3; $r++) {
                $a[] = rate($op, 'tide', $t, $rows, $procs, $secs);
                $b[] = rate($op, 'apcu', $t, $rows, $procs, $secs);
            }
            $ta = median($a);
            $tb = median($b);
            $na = 1e9 * $procs / $ta - 1e9 / $floor[$procs];
            $nb = 1e9 * $procs / $tb - 1e9 / $floor[$procs];
            printf("| %s | %s | %d | %s | %s | %.2f× | %.0f | %.0f | %.2f× |\n", number_format($rows), $op, $procs,
                   number_format($ta), number_format($tb), $ta / $tb, $na, $nb, $nb / max($na, 1));
        }
    }
    unset($t);
}
apcu_clear_cache();

echo "\nFill with random keys (each a new key of 8 to 63 random bytes) until set() fails:\n\n";
echo "| rows asked | rows (power of two) | keys taken before the first failure | fill | bytes per row (with its bucket) |\n|---|---|---|---|---|\n";
foreach ([1000, 65536, 1000000] as $rows) {
    $t = table($rows);
    $n = 0;
    while (@$t->set(random_bytes(random_int(8, 63)), ['v' => $n])) {
        $n++;
    }
    $st = $t->stats();
    printf("| %s | %s | %s | %.1f%% | %d |\n", number_format($rows), number_format($t->getSize()),
           number_format($n), 100 * $n / $t->getSize(), $st['row_size']);
}
