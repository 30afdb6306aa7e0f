#!/usr/bin/env bash
# Two builds of Tide on the PING server of bench/server_ping.sh, alternating run by run, so
# that the machine's drift hits both alike. For each mode and load: requests/s and CPU per
# request (utime+stime of every process of the server) of each build, the median of the
# after/before ratios of the pairs and their range.
#
#   bench/ping_ab.sh BEFORE.so [AFTER.so]      (AFTER defaults to modules/tide.so)
#   PAIRS=9 bench/ping_ab.sh /work/old/modules/tide.so
#   CPU_OF=worker bench/ping_ab.sh ...         CPU of the worker process alone
set -euo pipefail
cd "$(dirname "$0")/.."
BEFORE=${1:?usage: bench/ping_ab.sh BEFORE.so [AFTER.so]}
AFTER=${2:-$PWD/modules/tide.so}
PAIRS=${PAIRS:-5}
CPU_OF=${CPU_OF:-all}
leaves=
[[ $CPU_OF == worker ]] && leaves=leaves # the worker: master -> [manager ->] worker
HZ=$(getconf CLK_TCK)
tmp=$(mktemp -d)
pid=
cleanup() {
    [[ -n $pid ]] && kill -9 $(tree "$pid") 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT

command -v redis-benchmark >/dev/null ||
    { echo "needs redis-benchmark (apt-get install redis-tools)" >&2; exit 1; }

source bench/lib.sh

# one SO MODE N [redis-benchmark args] -> "req/s cpu_us_per_request"
one() {
    local so=$1 mode=$2 n=$3 port
    shift 3
    port=$(free_port)
    php -n -d extension="$so" bench/ping_server.php "$mode" "$port" 1 >"$tmp/srv.out" 2>&1 &
    pid=$!
    for _ in $(seq 200); do grep -q READY "$tmp/srv.out" && break; sleep 0.05; done
    grep -q READY "$tmp/srv.out" || { cat "$tmp/srv.out" >&2; exit 1; }
    redis-benchmark -p "$port" -t ping_inline -c 50 -n 20000 "$@" -q >/dev/null 2>&1 # warm-up
    local c0 c1 rps
    c0=$(ticks "$pid" "$leaves")
    rps=$(redis-benchmark -p "$port" -t ping_inline -c 50 -n "$n" "$@" -q 2>/dev/null |
        tr '\r' '\n' | grep -o '[0-9.]* requests per second' | tail -n 1 | cut -d' ' -f1)
    c1=$(ticks "$pid" "$leaves")
    kill "$pid"; wait "$pid" 2>/dev/null || true
    pid=
    awk -v r="$rps" -v a="$c0" -v b="$c1" -v n="$n" -v hz="$HZ" \
        'BEGIN {printf "%s %.3f\n", r, (b - a) / hz / n * 1e6}'
}

for mode in base process; do
    for load in none P16; do
        if [[ $load == P16 ]]; then n=1000000; args=(-P 16); else n=300000; args=(); fi
        for _ in $(seq "$PAIRS"); do
            echo "$mode $load $(one "$BEFORE" "$mode" "$n" "${args[@]}") $(one "$AFTER" "$mode" "$n" "${args[@]}")"
        done
    done
done >"$tmp/rows"

echo "before: $BEFORE"
echo "after:  $AFTER"
echo "CPU of: $CPU_OF"
echo
echo "| mode | load | before req/s | after req/s | req/s ratio | range | CPU µs/req before → after | CPU ratio | range |"
echo "|---|---|---|---|---|---|---|---|---|"
php -r '
$g = [];
foreach (file($argv[1], FILE_IGNORE_NEW_LINES) as $l) {
    [$m, $load, $r0, $c0, $r1, $c1] = explode(" ", $l);
    $g["$m|$load"][] = [$r0, $c0, $r1, $c1];
}
$med = function (array $v) { sort($v); $n = count($v); return $n % 2 ? $v[$n >> 1] : ($v[$n / 2 - 1] + $v[$n / 2]) / 2; };
foreach ($g as $k => $rows) {
    [$m, $load] = explode("|", $k);
    $rr = array_map(fn($x) => $x[2] / $x[0], $rows);
    $cc = array_map(fn($x) => $x[1] > 0 ? $x[3] / $x[1] : 1, $rows);
    printf("| %s | %s | %.0f | %.0f | %.2f× | %.2f–%.2f× | %.2f → %.2f | %.2f× | %.2f–%.2f× |\n",
        $m, $load === "P16" ? "-P 16" : "no pipelining",
        $med(array_column($rows, 0)), $med(array_column($rows, 2)), $med($rr), min($rr), max($rr),
        $med(array_column($rows, 1)), $med(array_column($rows, 3)), $med($cc), min($cc), max($cc));
}' "$tmp/rows"
