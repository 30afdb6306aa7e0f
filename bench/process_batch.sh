#!/usr/bin/env bash
# How many requests MODE_PROCESS carries per loop turn of its master and its worker under
# wrk, and what the extra hop costs: with bench/ipc_floor.c's round trip, the floor of
# MODE_PROCESS's CPU per request above MODE_BASE's is (round trip CPU) / (requests per
# turn). Needs perf (linux-perf) and wrk.
#   bench/process_batch.sh [connections...]    (default: 64 256)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
ext="$root/modules/tide.so"
[[ -f $ext ]] || { echo "build first (./dev build)"; exit 1; }
tmp=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill -9 $(tree "$p") 2>/dev/null || true; done; rm -rf "$tmp"' EXIT

cc -O2 -o "$tmp/ipc_floor" "$root/bench/ipc_floor.c"
echo "== the floor: one master -> worker -> master round trip"
"$tmp/ipc_floor" 200000

for mode in base process; do
    port=$(free_port)
    php -n -d extension="$ext" "$root/bench/http_hello.php" "$mode" "$port" 1 >"$tmp/out.$mode" 2>&1 &
    pids+=($!)
    srv=$!
    for _ in $(seq 100); do grep -q READY "$tmp/out.$mode" && break; sleep 0.1; done
    for conns in "${@:-64 256}"; do
        for c in $conns; do
            wrk -t1 -c"$c" -d1s "http://127.0.0.1:$port/" >/dev/null # warm-up
            all=$(tree "$srv" | paste -sd, -)
            before=$(ticks "$srv")
            wrk -t1 -c"$c" -d6s "http://127.0.0.1:$port/" >"$tmp/wrk" &
            w=$!
            perf stat -x, --per-thread -e syscalls:sys_enter_io_uring_enter \
                -p "$all" -o "$tmp/perf" -- sleep 6 >/dev/null 2>&1
            wait "$w"
            after=$(ticks "$srv")
            rps=$(awk '/Requests\/sec/ {print $2}' "$tmp/wrk")
            reqs=$(awk -v r="$rps" 'BEGIN {printf "%d", r * 6}')
            hz=$(getconf CLK_TCK)
            cpu_us=$(awk -v t=$((after - before)) -v hz="$hz" -v n="$reqs" \
                'BEGIN {printf "%.2f", t * 1e6 / hz / n}')
            echo "== $mode -c$c: $rps requests/s, $cpu_us us CPU per request (server)"
            # Per process: its io_uring_enter calls (loop turns, about) per request.
            for p in $(tree "$srv"); do
                name=$(tr '\0' ' ' </proc/"$p"/cmdline 2>/dev/null | cut -c1-40)
                n=$(grep -E -- "-$p," "$tmp/perf" | awk -F, '{s += $2} END {print s + 0}')
                [[ $n -gt 0 ]] || continue
                awk -v n="$n" -v r="$reqs" -v p="$p" \
                    'BEGIN {printf "   pid %s: %d io_uring_enter, %.1f requests per call\n", p, n, r / n}'
            done
        done
    done
    kill $(tree "$srv") 2>/dev/null || true
done
