#!/usr/bin/env bash
# Memory of a Tide HTTP server over a long run: the RSS of each of its processes idle (after
# start and 1,000 requests of warm-up) and after $N more requests (wrk -t1 -c64 in rounds of
# 5 s until N are done), for MODE_BASE and MODE_PROCESS, each on io_uring and epoll. Issue
# 10's bound: no growth beyond 1 MiB per worker.
#
#   bench/http_rss.sh                 (after ./dev build; needs wrk)
#   N=1000000 bench/http_rss.sh
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-1000000}
TIDE_SO=${TIDE_SO:-$PWD/modules/tide.so}
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 1; }
source bench/lib.sh
tmp=$(mktemp -d)
tide=
cleanup() {
    [[ -n $tide ]] && kill -9 $(tree "$tide") 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT

rss_kib() { awk '/^VmRSS:/ {print $2}' /proc/"$1"/status; }


echo "| mode | backend | requests | RSS idle (KiB per process) | after | largest growth (KiB) |"
echo "|---|---|---|---|---|---|"
for backend in io_uring epoll; do
    for mode in base process; do
        port=$(free_port)
        TIDE_REACTOR=$backend php -n -d extension="$TIDE_SO" bench/http_hello.php "$mode" "$port" 1 \
            >"$tmp/out" 2>&1 &
        tide=$!
        for _ in $(seq 200); do
            curl -s -o /dev/null "http://127.0.0.1:$port/" && break
            sleep 0.05
        done
        wrk -t1 -c8 -d1s "http://127.0.0.1:$port/" >/dev/null 2>&1
        pids=($(tree "$tide")) # the master, then its children (manager and workers)
        before=()
        for p in "${pids[@]}"; do before+=("$(rss_kib "$p")"); done
        done_n=0
        while ((done_n < N)); do
            n=$(wrk -t1 -c64 -d5s "http://127.0.0.1:$port/" | awk '/requests in/ {print $1}')
            done_n=$((done_n + n))
        done
        after=()
        growth=0
        for i in "${!pids[@]}"; do
            a=$(rss_kib "${pids[$i]}")
            after+=("$a")
            d=$((a - ${before[$i]}))
            ((d > growth)) && growth=$d
        done
        echo "| MODE_${mode^^} | $backend | $done_n | ${before[*]} | ${after[*]} | $growth |"
        kill "$tide"
        wait "$tide" 2>/dev/null || true
        tide=
    done
done
