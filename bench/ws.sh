#!/usr/bin/env bash
# WebSocket echo on this machine, in one run.
#
# Throughput: bench/ws_load (C, one thread, epoll) opens $C connections to each server,
# does the handshake, then runs a closed loop on each for ${D}s: one masked binary frame of
# SIZE fixed bytes, wait for the whole echo (checked byte for byte), repeat. SIZES 64 and
# 16384. Servers, all started at once (an idle one costs nothing), the rounds going
# round-robin over the rows so that this VM's drift hits every row alike:
#   - Node.js `ws` 8.x (bench/node: bufferutil for masking, no compression), one process,
#     and two processes (the cluster module: the primary accepts and hands connections
#     round-robin to two workers);
#   - the C floor (bench/ws_floor.c: two processes with SO_REUSEPORT, one epoll loop each,
#     no PHP and no generality);
#   - Tide\WebSocket\Server (bench/ws_echo.php, worker_num 2, `push($f->fd, $f->data,
#     $f->opcode)`) in MODE_BASE and MODE_PROCESS, each on io_uring and on epoll.
# Per row: the median messages/s over $ROUNDS rounds; the server's CPU per message
# (utime+stime of every process of the server, from /proc/<pid>/stat, over the round,
# divided by the messages echoed); the load generator's own CPU per message. The ratios
# are the medians of each round's ratio to that round's node row (one process).
#
# Idle memory: $IDLE connections (handshake done, then idle) to a fresh server of each
# kind; the RSS summed over every process of the server, before (listening, warmed by one
# connection) and after, divided by the connections.
#
#   bench/ws.sh                       (after ./dev build; needs gcc, node, npm)
#   D=10 ROUNDS=5 C=100 SIZES="64 16384" IDLE=10000 bench/ws.sh
#   ONLY=throughput|idle bench/ws.sh
set -euo pipefail
cd "$(dirname "$0")/.."
C=${C:-100}
D=${D:-5}
ROUNDS=${ROUNDS:-3}
SIZES=${SIZES:-64 16384}
IDLE=${IDLE:-10000}
ONLY=${ONLY:-}
TIDE_SO=${TIDE_SO:-$PWD/modules/tide.so}
HZ=$(getconf CLK_TCK)
for cmd in gcc node npm; do
    command -v "$cmd" >/dev/null || { echo "needs $cmd" >&2; exit 1; }
done
# Each side of the idle test (the load generator; the master or a worker) holds $IDLE sockets.
want=$((IDLE + 1024))
ulimit -n "$want" 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
(($(ulimit -n) >= want)) ||
    { echo "ulimit -n is $(ulimit -n), the idle test needs $want (run as root, or IDLE=...)" >&2; exit 1; }
source bench/lib.sh
[[ -d bench/node/node_modules/ws ]] ||
    (cd bench/node && npm install --no-audit --no-fund --silent >/dev/null)
gcc -O2 -Wall -o bench/ws_load bench/ws_load.c
gcc -O2 -Wall -o bench/ws_floor bench/ws_floor.c -lcrypto

tmp=$(mktemp -d)
# The servers run a copy: a rebuild of the extension during the run would crash them.
cp "$TIDE_SO" "$tmp/tide.so"
TIDE_SO=$tmp/tide.so
pids=()
stop_all() {
    local p
    for p in "${pids[@]}"; do kill -9 $(tree "$p") 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    pids=()
}
cleanup() {
    stop_all
    rm -rf "$tmp"
}
trap cleanup EXIT

# Starts a server in the background (its output in $tmp/out.PORT) and waits for its first
# "READY" line: SERVER-PORT CMD... ; sets srv to its pid.
start() {
    local port=$1
    shift
    "$@" >"$tmp/out.$port" 2>&1 &
    srv=$!
    disown "$srv" # no "Killed" notices at the end
    pids+=("$srv")
    for _ in $(seq 200); do
        grep -qs READY "$tmp/out.$port" && return 0
        kill -0 "$srv" 2>/dev/null || break
        sleep 0.05
    done
    echo "the server on port $port did not start:" >&2
    cat "$tmp/out.$port" >&2
    exit 1
}
node_server() { # PROCESSES
    port=$(free_port)
    start "$port" node bench/node/echo.js "$port" "$1"
}
floor_server() {
    port=$(free_port)
    start "$port" bench/ws_floor "$port" 2
}
tide_server() { # MODE BACKEND
    port=$(free_port)
    start "$port" env TIDE_REACTOR="$2" php -n -d extension="$TIDE_SO" bench/ws_echo.php "$1" "$port" 2
    # both workers up
    for _ in $(seq 100); do
        (($(grep -c READY "$tmp/out.$port") >= 2)) && return 0
        sleep 0.05
    done
}

busy_ticks() { awk '/^cpu / {print $2 + $3 + $4}' /proc/stat; } # user, nice, system

# One closed-loop round: PORT SIZE PID: "msgs/s cpu-us/msg loadgen-cpu-us/msg other-cpu%",
# the last the share of this machine's CPU that neither the server nor the load generator
# used during the round (other processes on the VM: it should be near 0).
ws_measure() {
    local port=$1 size=$2 pid=$3 t0 t1 m0 m1 out
    m0=$(busy_ticks)
    t0=$(ticks "$pid")
    out=$(bench/ws_load -c "$C" -d "$D" -s "$size" "$port")
    t1=$(ticks "$pid")
    m1=$(busy_ticks)
    awk -v a="$t0" -v b="$t1" -v c="$m0" -v d="$m1" -v hz="$HZ" -v ncpu="$(nproc)" -v out="$out" 'BEGIN {
        split(out, f, " ")  # messages N seconds S msgs/s R cpu_us U
        other = ((d - c) / hz - (b - a) / hz - f[8] / 1e6) / (f[4] * ncpu) * 100
        printf "%s %.3f %.3f %.1f\n", f[6], (b - a) / hz / f[2] * 1e6, f[8] / f[2], other < 0 ? 0 : other }'
}

rss_kib() { # the VmRSS of every process of a tree, summed
    local sum=0 p r
    for p in $(tree "$1"); do
        r=$(awk '/^VmRSS:/ {print $2}' /proc/"$p"/status 2>/dev/null || echo 0)
        sum=$((sum + ${r:-0}))
    done
    echo "$sum"
}

echo "WebSocket echo, $(date +%F), $(nproc) cores, $(uname -r), node $(node --version)," \
    "ws $(node -p 'require("./bench/node/node_modules/ws/package.json").version'), $(php -r 'echo "PHP ", PHP_VERSION;')"
echo

if [[ $ONLY != idle ]]; then
    # The rows: NAME|PORT|PID
    rows=()
    add_row() { local IFS='|'; rows+=("$*"); }
    node_server 1
    add_row "node ws, 1 process" "$port" "$srv"
    node_server 2
    add_row "node ws, 2 processes (cluster)" "$port" "$srv"
    floor_server
    add_row "C floor (bench/ws_floor.c), 2 processes" "$port" "$srv"
    for backend in io_uring epoll; do
        for mode in base process; do
            tide_server "$mode" "$backend"
            add_row "Tide MODE_${mode^^}, $backend" "$port" "$srv"
        done
    done

    for size in $SIZES; do
        for i in "${!rows[@]}"; do
            IFS='|' read -r -a f <<<"${rows[$i]}"
            bench/ws_load -c "$C" -d 1 -s "$size" "${f[1]}" >/dev/null # warm-up (node's JIT)
            : >"$tmp/r.$size.$i"
        done
        for r in $(seq "$ROUNDS"); do
            for i in "${!rows[@]}"; do
                IFS='|' read -r -a f <<<"${rows[$i]}"
                ws_measure "${f[1]}" "$size" "${f[2]}" >>"$tmp/r.$size.$i"
            done
        done
        echo "### $size-byte messages: $C connections, closed loop, ${D}s rounds, median of $ROUNDS"
        echo
        echo "| server | messages/s | vs node | vs node ×2 | CPU µs/message | vs node | load generator CPU µs/message | other CPU on the VM |"
        echo "|---|---|---|---|---|---|---|---|"
        for i in "${!rows[@]}"; do
            IFS='|' read -r -a f <<<"${rows[$i]}"
            echo "${f[0]}"
        done | php -r '
            [, $tmp, $size] = $argv;
            $med = function (array $v) { sort($v); return $v[intdiv(count($v) - 1, 2)]; };
            $rows = [];
            foreach (explode("\n", trim(stream_get_contents(STDIN))) as $i => $name) {
                $rows[$i] = ["name" => $name, "r" => array_map(fn($l) => explode(" ", $l),
                    file("$tmp/r.$size.$i", FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES))];
            }
            [$n1, $n2] = [$rows[0]["r"], $rows[1]["r"]];
            foreach ($rows as $row) {
                $r = $row["r"];
                $v1 = $v2 = $c1 = [];
                foreach ($r as $k => $x) {
                    $v1[] = $x[0] / $n1[$k][0];
                    $v2[] = $x[0] / $n2[$k][0];
                    $c1[] = $x[1] / $n1[$k][1];
                }
                printf("| %s | %s | %.2f× | %.2f× | %.2f | %.2f× | %.2f | %.0f%% |\n", $row["name"],
                    number_format($med(array_column($r, 0))), $med($v1), $med($v2),
                    $med(array_column($r, 1)), $med($c1), $med(array_column($r, 2)),
                    max(array_column($r, 3)));
            }
        ' "$tmp" "$size"
        echo
    done
    stop_all
fi

if [[ $ONLY != throughput ]]; then
    echo "### $IDLE idle connections: RSS of every process of the server"
    echo
    echo "| server | processes | RSS listening (KiB) | with $IDLE idle connections (KiB) | bytes per connection |"
    echo "|---|---|---|---|---|"
    idle_row() { # NAME (the server just started: $port, $srv)
        local before after nproc load
        bench/ws_load -c 1 -d 0.2 -s 64 "$port" >/dev/null # warm-up: one connection, a few echoes
        sleep 0.5
        before=$(rss_kib "$srv")
        nproc=$(tree "$srv" | wc -l)
        mkfifo "$tmp/hold"
        bench/ws_load -i -c "$IDLE" "$port" <"$tmp/hold" >"$tmp/idle" 2>&1 &
        load=$!
        exec 7>"$tmp/hold" # held open: its EOF ends the hold
        for _ in $(seq 600); do
            grep -q READY "$tmp/idle" && break
            kill -0 "$load" 2>/dev/null || { cat "$tmp/idle" >&2; exit 1; }
            sleep 0.1
        done
        sleep 1
        after=$(rss_kib "$srv")
        exec 7>&-
        wait "$load" || true
        rm -f "$tmp/hold"
        printf "| %s | %d | %s | %s | %s |\n" "$1" "$nproc" "$before" "$after" \
            "$(((after - before) * 1024 / IDLE))"
        stop_all
    }
    for backend in io_uring epoll; do
        for mode in base process; do
            tide_server "$mode" "$backend"
            idle_row "Tide MODE_${mode^^}, $backend"
        done
    done
    node_server 1
    idle_row "node ws, 1 process"
fi
