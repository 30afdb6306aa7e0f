#!/usr/bin/env bash
# A database-backed HTTP app on this machine, in one run (issue 12's figure): per request one
# Redis GET and one MySQL primary-key SELECT (bench/hooks_db_app.php), against a real
# redis-server and mariadbd started here, served by
#   - nginx + php-fpm (pm static, $FPM children, opcache on, persistent connections), and
#   - Tide MODE_PROCESS with $WORKERS workers, runtime hooks on (the default), a pool of
#     connections per worker.
# wrk -t1 -c$C -d${D}s --latency against each, $ROUNDS rounds round-robin; per row the median
# requests/s, the p99 of that round, and the server's CPU per request (every process of it,
# nginx and php-fpm included; redis and mariadbd are shared and not counted).
#
#   bench/hooks_db.sh        (after ./dev build; needs nginx, php8.2-fpm, wrk, redis-server,
#                             mariadb-server, php8.2-redis, php8.2-mysql)
#   C=128 FPM=32 WORKERS=2 bench/hooks_db.sh
set -euo pipefail
cd "$(dirname "$0")/.."
C=${C:-64}
D=${D:-8}
ROUNDS=${ROUNDS:-3}
FPM=${FPM:-16}
WORKERS=${WORKERS:-2}
TIDE_SO=${TIDE_SO:-$PWD/modules/tide.so}
HZ=$(getconf CLK_TCK)
for cmd in wrk nginx php-fpm8.2 redis-server mariadbd; do
    command -v "$cmd" >/dev/null || [[ -x /usr/sbin/$cmd ]] ||
        { echo "needs $cmd (apt-get install wrk nginx-light php8.2-fpm redis-server mariadb-server)" >&2; exit 1; }
done
source bench/lib.sh
tmp=$(mktemp -d)
chmod 755 "$tmp"
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill -9 $(tree "$p") 2>/dev/null || true; done
    rm -rf "$tmp"
}
trap cleanup EXIT
exts="-d extension=igbinary -d extension=redis -d extension=mysqlnd -d extension=pdo -d extension=pdo_mysql"
ext_dir=$(php -r 'echo ini_get("extension_dir");')
[[ -f $ext_dir/redis.so && -f $ext_dir/pdo_mysql.so ]] ||
    { echo "needs php8.2-redis and php8.2-mysql" >&2; exit 1; }

wait_port() {
    for _ in $(seq 600); do
        php -r 'exit(@fsockopen("127.0.0.1", (int) $argv[1]) ? 0 : 1);' "$1" && return 0
        sleep 0.05
    done
    echo "nothing listens on port $1" >&2
    exit 1
}

# redis-server and mariadbd, with the data both sides read.
rp=$(free_port)
redis-server --port "$rp" --bind 127.0.0.1 --save '' --appendonly no --dir "$tmp" \
    --daemonize no --protected-mode no >"$tmp/redis.log" 2>&1 &
pids+=($!)
disown
mp=$(free_port)
me=$(id -un)
mariadb-install-db --no-defaults --datadir="$tmp/db" --auth-root-authentication-method=normal \
    --skip-test-db --user="$me" >"$tmp/install.log" 2>&1
mariadbd --no-defaults --datadir="$tmp/db" --socket="$tmp/db.sock" --port="$mp" \
    --bind-address=127.0.0.1 --skip-grant-tables --skip-name-resolve --skip-log-bin \
    --innodb-buffer-pool-size=64M --pid-file="$tmp/db.pid" --user="$me" --max-connections=1000 \
    >"$tmp/db.log" 2>&1 &
pids+=($!)
disown
wait_port "$rp"
wait_port "$mp"
php -n $exts -r '
    [, $rp, $mp] = $argv;
    $r = new Redis(); $r->connect("127.0.0.1", (int) $rp);
    $pdo = new PDO("mysql:host=127.0.0.1;port=$mp", "root", "", [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION]);
    $pdo->exec("CREATE DATABASE bench");
    $pdo->exec("CREATE TABLE bench.users (id INT PRIMARY KEY, name VARCHAR(64))");
    $ins = $pdo->prepare("INSERT INTO bench.users VALUES (?, ?)");
    for ($i = 1; $i <= 1000; $i++) { $ins->execute([$i, "user $i"]); $r->set("user:$i", "cached $i"); }
' "$rp" "$mp"

rows=()
add_row() { local IFS='|'; rows+=("$*"); }

# nginx + php-fpm
fp=$(free_port)
cat >"$tmp/fpm.conf" <<CONF
[global]
pid = $tmp/fpm.pid
error_log = $tmp/fpm.err
daemonize = no
[www]
user = nobody
group = nogroup
listen = 127.0.0.1:$fp
pm = static
pm.max_children = $FPM
CONF
cp bench/hooks_db_app.php "$tmp/app.php"
php-fpm8.2 -n -d zend_extension=opcache.so -d opcache.enable=1 $exts -y "$tmp/fpm.conf" \
    >/dev/null 2>&1 &
fpm=$!
pids+=("$fpm")
disown
np=$(free_port)
cat >"$tmp/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $tmp/nginx.pid;
error_log $tmp/nginx.err;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $tmp/body; proxy_temp_path $tmp/proxy; fastcgi_temp_path $tmp/fcgi;
    uwsgi_temp_path $tmp/uwsgi; scgi_temp_path $tmp/scgi;
    server {
        listen 127.0.0.1:$np;
        location / {
            include /etc/nginx/fastcgi_params;
            fastcgi_param SCRIPT_FILENAME $tmp/app.php;
            fastcgi_param REDIS_PORT $rp;
            fastcgi_param DB_PORT $mp;
            fastcgi_pass 127.0.0.1:$fp;
        }
    }
}
CONF
/usr/sbin/nginx -c "$tmp/nginx.conf" >/dev/null 2>&1 &
ng=$!
pids+=("$ng")
disown
wait_port "$np"
add_row "nginx + php-fpm ($FPM children)" "$np" "$ng" "$fpm"

for backend in io_uring epoll; do
    tp=$(free_port)
    TIDE_REACTOR=$backend php -n -d extension="$TIDE_SO" $exts bench/hooks_db_app.php "$tp" \
        "$WORKERS" "$rp" "$mp" >"$tmp/tide.$tp.out" 2>&1 &
    tide=$!
    pids+=("$tide")
    disown
    wait_port "$tp"
    add_row "Tide MODE_PROCESS, $WORKERS workers, $backend" "$tp" "$tide"
done

for i in "${!rows[@]}"; do
    IFS='|' read -r -a f <<<"${rows[$i]}"
    body=$(curl -s "http://127.0.0.1:${f[1]}/")
    [[ $body == *'"cached":"cached '* && $body == *'"name":"user '* ]] ||
        { echo "${f[0]} answers: $body" >&2; exit 1; }
    wrk -t1 -c"$C" -d2s "http://127.0.0.1:${f[1]}/" >/dev/null 2>&1 # warm-up
    : >"$tmp/r.$i"
done
for r in $(seq "$ROUNDS"); do
    for i in "${!rows[@]}"; do
        IFS='|' read -r -a f <<<"${rows[$i]}"
        measure "${f[1]}" "${f[@]:2}" >>"$tmp/r.$i"
        grep 'Non-2xx' "$tmp/wrk" >&2 || true
    done
done

echo "wrk -t1 -c$C -d${D}s, median of $ROUNDS rounds (round-robin), $(nproc) cores, $(uname -r)"
echo
echo "| server | requests/s | vs php-fpm | p99 | CPU µs/request |"
echo "|---|---|---|---|---|"
for i in "${!rows[@]}"; do
    IFS='|' read -r -a f <<<"${rows[$i]}"
    echo "${f[0]}"
done | php -r '
    $tmp = $argv[1];
    $med = function (array $v) { sort($v); return $v[intdiv(count($v) - 1, 2)]; };
    $rows = [];
    foreach (explode("\n", trim(stream_get_contents(STDIN))) as $i => $name) {
        $rows[$i] = ["name" => $name, "rounds" => array_map(fn($l) => explode(" ", $l),
            file("$tmp/r.$i", FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES))];
    }
    $base = $rows[0]["rounds"];
    foreach ($rows as $row) {
        $r = $row["rounds"];
        $rps = array_column($r, 0);
        $order = $rps;
        asort($order);
        $mid = array_keys($order)[intdiv(count($order) - 1, 2)];
        $ratio = [];
        foreach ($r as $k => $x) {
            $ratio[] = $x[0] / $base[$k][0];
        }
        printf("| %s | %.0f | %.2f× | %s | %.0f |\n", $row["name"], $med($rps), $med($ratio),
            $r[$mid][1], $med(array_column($r, 2)));
    }
' "$tmp"
