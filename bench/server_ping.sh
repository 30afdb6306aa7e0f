#!/usr/bin/env bash
# Tide's TCP server against redis-server, both answering PING (redis inline commands, EOF
# framing) and both driven by redis-benchmark on this machine:
#   redis-benchmark -t ping_inline -c 50 -n 200000 [-P 16]
# For each server and each of the two loads: requests/s (median of $ROUNDS runs) and the
# server's CPU per request (utime+stime of all its processes from /proc, over the run).
# Then the RSS of a Tide master, manager and idle worker.
#
#   bench/server_ping.sh            (after ./dev build; needs redis-server, redis-benchmark)
#   ROUNDS=5 N=500000 bench/server_ping.sh
#   TIDE_SO_BEFORE=/path/to/other/tide.so bench/server_ping.sh
#                                   also runs that build, in the same run ("before" rows)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
N=${N:-200000}
C=${C:-50}
TIDE_SO=${TIDE_SO:-$PWD/modules/tide.so}
TIDE_SO_BEFORE=${TIDE_SO_BEFORE:-}
HZ=$(getconf CLK_TCK)
tmp=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
    rm -rf "$tmp"
}
trap cleanup EXIT

command -v redis-server >/dev/null && command -v redis-benchmark >/dev/null ||
    { echo "needs redis-server and redis-benchmark (apt-get install redis-server)" >&2; exit 1; }

source bench/lib.sh

wait_port() {
    for _ in $(seq 200); do
        if php -r 'exit(@stream_socket_client("tcp://127.0.0.1:'"$1"'", $e, $s, 0.2) ? 0 : 1);'; then return 0; fi
        sleep 0.05
    done
    echo "server on port $1 did not come up" >&2
    return 1
}

# One redis-benchmark run; prints "rps usec_cpu_per_request".
one_run() {
    local port=$1 pid=$2 extra=$3
    local t0 t1 out rps
    t0=$(ticks "$pid")
    out=$(redis-benchmark -p "$port" -t ping_inline -c "$C" -n "$N" $extra -q 2>/dev/null | tr '\r' '\n' |
        grep -o 'PING_INLINE: [0-9.]* requests per second' | tail -1)
    t1=$(ticks "$pid")
    rps=$(echo "$out" | awk '{print $2}')
    awk -v r="$rps" -v t=$((t1 - t0)) -v hz="$HZ" -v n="$N" 'BEGIN { printf "%.0f %.2f\n", r, t / hz / n * 1e6 }'
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# bench NAME PORT PID: fills results[NAME/load]
declare -A rps cpu
bench() {
    local name=$1 port=$2 pid=$3
    for load in "" "-P 16"; do
        local rs=() cs=()
        redis-benchmark -p "$port" -t ping_inline -c "$C" -n 20000 $load -q >/dev/null 2>&1 # warm-up
        for _ in $(seq "$ROUNDS"); do
            read -r r c < <(one_run "$port" "$pid" "$load")
            rs+=("$r")
            cs+=("$c")
        done
        rps[$name/$load]=$(printf '%s\n' "${rs[@]}" | median)
        cpu[$name/$load]=$(printf '%s\n' "${cs[@]}" | median)
    done
}

# redis-server
port=$(free_port)
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
    --dir "$tmp" >"$tmp/redis.log" 2>&1 &
pids+=($!)
wait_port "$port"
bench redis "$port" "${pids[-1]}"
kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true

# Tide, one worker in each mode (redis-server is one thread); the other build too, if given,
# alternating with this one.
declare -A rss
servers=(redis tide-base tide-process)
runs=("base:$TIDE_SO:tide-base" "process:$TIDE_SO:tide-process")
if [[ -n $TIDE_SO_BEFORE ]]; then
    runs=("base:$TIDE_SO_BEFORE:tide-base-before" "base:$TIDE_SO:tide-base"
          "process:$TIDE_SO_BEFORE:tide-process-before" "process:$TIDE_SO:tide-process")
    servers=(redis tide-base-before tide-base tide-process-before tide-process)
fi
for run in "${runs[@]}"; do
    IFS=: read -r mode so name <<<"$run"
    port=$(free_port)
    php -n -d extension="$so" bench/ping_server.php "$mode" "$port" 1 >"$tmp/$mode.log" 2>&1 &
    pid=$!
    pids+=("$pid")
    wait_port "$port"
    bench "$name" "$port" "$pid"
    if [[ $name == tide-process ]]; then
        all=($(tree "$pid"))
        # master, manager, worker: the tree is master -> manager -> worker
        for i in 0 1 2; do
            rss[$i]=$(awk '/VmRSS/ {print $2}' /proc/"${all[$i]}"/status)
        done
    fi
    kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

echo "## TCP PING server against redis-server (redis-benchmark -t ping_inline -c $C -n $N, median of $ROUNDS)"
echo
echo "| server | load | requests/s | vs redis | CPU µs/request | vs redis |"
echo "|---|---|---|---|---|---|"
for load in "" "-P 16"; do
    name=${load:-no pipelining}
    for s in "${servers[@]}"; do
        echo "| $s | $name | ${rps[$s/$load]} | $(ratio "${rps[$s/$load]}" "${rps[redis/$load]}")× | ${cpu[$s/$load]} | $(ratio "${cpu[$s/$load]}" "${cpu[redis/$load]}")× |"
    done
done
echo
echo "RSS of Tide MODE_PROCESS after the runs: master ${rss[0]} KiB, manager ${rss[1]} KiB, worker ${rss[2]} KiB."
