#!/usr/bin/env bash
# Instructions per operation (valgrind --tool=callgrind: repeatable, unlike wall time on a
# shared 2-core VM): a yield/resume round trip and a channel hand-off against a Fiber
# suspend/resume round trip, 200,000 of each, minus an empty script's count.
#   bench/coro_instructions.sh     (needs valgrind and a built modules/tide.so)
set -euo pipefail
cd "$(dirname "$0")/.."
N=200000
ext=(-n -d extension="$PWD/modules/tide.so")
count() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null php "${ext[@]}" -r "$1" 2>&1 |
        awk '/refs:/ {gsub(",", "", $NF); print $NF}'
}
empty=$(count '')
fiber=$(count '$f = new Fiber(function () { while (true) Fiber::suspend(); }); $f->start();
    for ($i = 0; $i < '$N'; $i++) $f->resume();')
yield=$(count 'Tide\run(function () { $c = Tide\go(function () { while (true) Tide\Coroutine::yield(); });
    for ($i = 0; $i < '$N'; $i++) Tide\Coroutine::resume($c); Tide\Coroutine::cancel($c); }, 0);' 2>/dev/null)
chan=$(count 'Tide\run(function () { $a = new Tide\Coroutine\Channel(1); $b = new Tide\Coroutine\Channel(1);
    Tide\go(function () use ($a, $b) { for ($i = 0; $i < '$N'; $i++) $b->push($a->pop()); });
    for ($i = 0; $i < '$N'; $i++) { $a->push($i); $b->pop(); } });')
per() { echo $(( ($1 - empty) / $2 )); }
f=$(per "$fiber" $N)
y=$(per "$yield" $N)
c=$(per "$chan" $((2 * N)))
echo "| operation | instructions | vs Fiber round trip |"
echo "|---|---|---|"
echo "| Fiber::suspend + resume round trip | $f | 1.00× |"
echo "| Coroutine::yield + resume round trip | $y | $(awk "BEGIN {printf \"%.2f\", $y / $f}")× |"
echo "| channel hand-off (one push + one pop) | $c | $(awk "BEGIN {printf \"%.2f\", $c / $f}")× |"
