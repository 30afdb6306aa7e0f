#!/usr/bin/env bash
# HTTP on this machine, in one run: nginx `return 200` (the ceiling); nginx + php-fpm
# (opcache on) with hello.php and with a generated "framework boot" (bench/framework_gen.php:
# 300 class files, 300 services, 60 routes, booted on every request); Tide MODE_BASE and
# MODE_PROCESS hello on io_uring and on epoll; Tide with the same framework booted once per
# worker; and nginx -> Tide (proxy_pass, upstream keepalive). wrk -t1 -c$C -d${D}s --latency
# against each, $ROUNDS rounds; per row the median requests/s, its p99 latency, and the
# server's CPU per request (utime+stime of every process of the server, nginx's and
# php-fpm's included, over the round, divided by the requests wrk completed). One worker
# process each (php-fpm: two children, as it blocks).
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

# One row: NAME PORT PID... (the processes whose trees are the server)
row() {
    local name=$1 port=$2
    shift 2
    local roots=("$@") r rps p99 cpu
    wrk -t1 -c"$C" -d2s "http://127.0.0.1:$port/" >/dev/null 2>&1 # warm-up
    : >"$tmp/rounds"
    for r in $(seq "$ROUNDS"); do
        local t0=0 t1=0 p
        for p in "${roots[@]}"; do t0=$((t0 + $(ticks "$p"))); done
        wrk -t1 -c"$C" -d"${D}s" --latency "http://127.0.0.1:$port/" >"$tmp/wrk" 2>&1
        for p in "${roots[@]}"; do t1=$((t1 + $(ticks "$p"))); done
        local reqs
        reqs=$(awk '/requests in/ {print $1}' "$tmp/wrk")
        rps=$(awk '/^Requests\/sec/ {print $2}' "$tmp/wrk")
        p99=$(awk '$1 == "99%" {print $2}' "$tmp/wrk")
        cpu=$(awk -v a="$t0" -v b="$t1" -v n="$reqs" -v hz="$HZ" 'BEGIN {printf "%.2f", (b - a) / hz / n * 1e6}')
        echo "$rps $p99 $cpu" >>"$tmp/rounds"
    done
    # The median round by requests/s.
    sort -n "$tmp/rounds" | awk -v n="$ROUNDS" -v name="$name" 'NR == int((n + 1) / 2) {print name "|" $1 "|" $2 "|" $3}'
}

results=()
np=$(free_port)
ng=$(nginx_conf "$np" 'return 200 "hello";')
results+=("$(row "nginx return 200" "$np" "$ng")")
kill "$ng"

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
    results+=("$(row "$name" "$np" "$ng" "$fpm")")
    kill "$ng"
done
kill "$fpm"

# Tide: hello on both backends, the framework, nginx in front.
tide_rows() { # MODE BACKEND SCRIPT [ARGS...]
    local mode=$1 backend=$2 script=$3
    shift 3
    tp=$(free_port)
    TIDE_REACTOR=$backend php -n -d extension="$TIDE_SO" "$script" "$mode" "$tp" 1 "$@" \
        >"$tmp/tide.out" 2>&1 &
    tide=$!
    pids+=("$tide")
    wait_http "$tp"
}
for backend in io_uring epoll; do
    for mode in base process; do
        tide_rows "$mode" "$backend" bench/http_hello.php
        results+=("$(row "Tide MODE_${mode^^} hello, $backend" "$tp" "$tide")")
        kill "$tide"
        wait "$tide" 2>/dev/null || true
    done
done
for mode in base process; do
    tide_rows "$mode" io_uring bench/http_framework.php "$tmp/fw"
    results+=("$(row "Tide MODE_${mode^^} framework" "$tp" "$tide")")
    kill "$tide"
    wait "$tide" 2>/dev/null || true
done
tide_rows process io_uring bench/http_hello.php
np=$(free_port)
ng=$(nginx_conf "$np" "proxy_pass http://tide; proxy_http_version 1.1; proxy_set_header Connection \"\";" \
    "upstream tide { server 127.0.0.1:$tp; keepalive 64; }")
results+=("$(row "nginx -> Tide MODE_PROCESS hello" "$np" "$ng" "$tide")")
kill "$ng" "$tide"
wait "$tide" 2>/dev/null || true

echo "wrk -t1 -c$C -d${D}s, median of $ROUNDS rounds, $(nproc) cores, $(uname -r)"
echo
echo "| server | requests/s | vs nginx | p99 | CPU µs/request | vs nginx |"
echo "|---|---|---|---|---|---|"
base_rps=$(echo "${results[0]}" | cut -d'|' -f2)
base_cpu=$(echo "${results[0]}" | cut -d'|' -f4)
for r in "${results[@]}"; do
    IFS='|' read -r name rps p99 cpu <<<"$r"
    awk -v n="$name" -v r="$rps" -v p="$p99" -v c="$cpu" -v br="$base_rps" -v bc="$base_cpu" \
        'BEGIN {printf "| %s | %.0f | %.2f× | %s | %.2f | %.2f× |\n", n, r, r / br, p, c, c / bc}'
done
