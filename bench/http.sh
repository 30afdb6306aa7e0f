#!/usr/bin/env bash
# HTTP on this machine, in one run: nginx `return 200` (the ceiling); nginx + php-fpm
# (opcache on) with hello.php and with a generated "framework boot" (bench/framework_gen.php:
# 300 class files, 300 services, 60 routes, booted on every request); Tide MODE_BASE and
# MODE_PROCESS hello on io_uring and on epoll; Tide with the same framework booted once per
# worker; and nginx -> Tide (proxy_pass, upstream keepalive). wrk -t1 -c$C -d${D}s --latency
# against each, $ROUNDS rounds; per row the median requests/s, its p99 latency, and the
# server's CPU per request (utime+stime of every process of the server, nginx's and
# php-fpm's included, over the round, divided by the requests wrk completed, and the part
# of it spent in the kernel, stime). One worker process each (php-fpm: two children, as it
# blocks). All servers run at once and the rounds go round-robin over the rows; the "vs
# nginx" ratios are the medians of each round's ratio to that round's nginx row.
#
#   bench/http.sh                     (after ./dev build; needs nginx, php8.2-fpm, wrk)
#   C=256 D=8 ROUNDS=3 bench/http.sh
set -euo pipefail
cd "$(dirname "$0")/.."
C=${C:-64}
D=${D:-8}
ROUNDS=${ROUNDS:-3}
TIDE_SO=${TIDE_SO:-$PWD/modules/tide.so}
HZ=$(getconf CLK_TCK)
for cmd in wrk nginx php-fpm8.2; do
    command -v "$cmd" >/dev/null || [[ -x /usr/sbin/$cmd ]] ||
        { echo "needs $cmd (apt-get install wrk nginx-light php8.2-fpm)" >&2; exit 1; }
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

wait_http() {
    for _ in $(seq 200); do
        curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0
        sleep 0.05
    done
    echo "nothing answers on port $1" >&2
    exit 1
}

nginx_conf() { # PORT LOCATION-BODY [UPSTREAM]
    cat >"$tmp/nginx-$1.conf" <<CONF
daemon off;
worker_processes 1;
pid $tmp/nginx-$1.pid;
error_log $tmp/nginx-$1.err;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $tmp/body; proxy_temp_path $tmp/proxy; fastcgi_temp_path $tmp/fcgi;
    uwsgi_temp_path $tmp/uwsgi; scgi_temp_path $tmp/scgi;
    ${3:-}
    server {
        listen 127.0.0.1:$1;
        location / { $2 }
    }
}
CONF
    /usr/sbin/nginx -c "$tmp/nginx-$1.conf" >/dev/null 2>&1 &
    pids+=($!)
    wait_http "$1"
    echo "$!"
}

# The rows: NAME|PORT|PID... (the processes whose trees are the server). All servers run
# at once (an idle one costs nothing) and the rounds go round-robin over the rows, so that
# the drift of this VM over minutes hits every row alike; ratios are taken within a round.
rows=()
add_row() { local IFS='|'; rows+=("$*"); }


np=$(free_port)
ng=$(nginx_conf "$np" 'return 200 "hello";')
add_row "nginx return 200" "$np" "$ng"

# nginx + php-fpm (two children, static, opcache on as in production), hello.php and the
# framework's front controller
echo '<?php echo "hello";' >"$tmp/hello.php"
php bench/framework_gen.php "$tmp/fw" >/dev/null
chmod -R a+rX "$tmp/fw"
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
pm.max_children = 2
CONF
php-fpm8.2 -n -d zend_extension=opcache.so -d opcache.enable=1 -y "$tmp/fpm.conf" >/dev/null 2>&1 &
fpm=$!
pids+=("$fpm")
for app in hello.php fw/index.php; do
    np=$(free_port)
    ng=$(nginx_conf "$np" "include /etc/nginx/fastcgi_params; fastcgi_param SCRIPT_FILENAME $tmp/$app; fastcgi_pass 127.0.0.1:$fp;")
    [[ $app == hello.php ]] && name="nginx + php-fpm hello" || name="nginx + php-fpm framework"
    add_row "$name" "$np" "$ng" "$fpm"
done

# Tide: hello on both backends, the framework, nginx in front. One worker each.
tide_server() { # MODE BACKEND SCRIPT [ARGS...]: sets tp and tide
    local mode=$1 backend=$2 script=$3
    shift 3
    tp=$(free_port)
    TIDE_REACTOR=$backend php -n -d extension="$TIDE_SO" "$script" "$mode" "$tp" 1 "$@" \
        >"$tmp/tide.$tp.out" 2>&1 &
    tide=$!
    pids+=("$tide")
    wait_http "$tp"
}
for backend in io_uring epoll; do
    for mode in base process; do
        tide_server "$mode" "$backend" bench/http_hello.php
        add_row "Tide MODE_${mode^^} hello, $backend" "$tp" "$tide"
        [[ $mode == process && $backend == io_uring ]] && { proxied=$tp; proxied_pid=$tide; }
    done
done
for mode in base process; do
    tide_server "$mode" io_uring bench/http_framework.php "$tmp/fw"
    add_row "Tide MODE_${mode^^} framework" "$tp" "$tide"
done
np=$(free_port)
ng=$(nginx_conf "$np" "proxy_pass http://tide; proxy_http_version 1.1; proxy_set_header Connection \"\";" \
    "upstream tide { server 127.0.0.1:$proxied; keepalive 64; }")
add_row "nginx -> Tide MODE_PROCESS hello" "$np" "$ng" "$proxied_pid"

for i in "${!rows[@]}"; do
    IFS='|' read -r -a f <<<"${rows[$i]}"
    wrk -t1 -c"$C" -d2s "http://127.0.0.1:${f[1]}/" >/dev/null 2>&1 # warm-up
    : >"$tmp/r.$i"
done
for r in $(seq "$ROUNDS"); do
    for i in "${!rows[@]}"; do
        IFS='|' read -r -a f <<<"${rows[$i]}"
        measure "${f[1]}" "${f[@]:2}" >>"$tmp/r.$i"
    done
done

echo "wrk -t1 -c$C -d${D}s, median of $ROUNDS rounds (round-robin over the rows), $(nproc) cores, $(uname -r)"
echo
echo "| server | requests/s | vs nginx | p99 | CPU µs/request | vs nginx | of it in the kernel |"
echo "|---|---|---|---|---|---|---|"
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
        $cpu = array_column($r, 2);
        /* the p99 of the median round by requests/s */
        $order = $rps;
        asort($order);
        $mid = array_keys($order)[intdiv(count($order) - 1, 2)];
        $rr = $rc = [];
        foreach ($r as $k => $x) {
            $rr[] = $x[0] / $base[$k][0];
            $rc[] = $x[2] / $base[$k][2];
        }
        printf("| %s | %.0f | %.2f× | %s | %.2f | %.2f× | %.2f |\n", $row["name"], $med($rps),
            $med($rr), $r[$mid][1], $med($cpu), $med($rc), $med(array_column($r, 3)));
    }
' "$tmp"
