#!/usr/bin/env bash
# System calls behind coroutine stacks: strace -c counts of mmap/munmap/mprotect for one
# and for five rounds of 10,000 sleeping coroutines inside one Tide\run (a resident
# worker). The difference is what rounds 2-5 cost: the pool reuses stacks, so ~0.
#   bench/coro_syscalls.sh      (needs strace and a built modules/tide.so)
set -euo pipefail
cd "$(dirname "$0")/.."
script='
$rounds = (int) $argv[1];
Tide\run(function () use ($rounds) {
    for ($r = 0; $r < $rounds; $r++) {
        for ($i = 0; $i < 10000; $i++) Tide\go(fn() => Tide\Coroutine::sleep(0.01));
        Tide\Coroutine::sleep(0.03);
    }
});'
count() {
    strace -f -c -e trace=mmap,munmap,mprotect -o /tmp/tide-strace.$$ \
        php -n -d extension="$PWD/modules/tide.so" -r "$script" "$1" >/dev/null
    awk '$NF ~ /^(mmap|munmap|mprotect)$/ {printf "%s=%s ", $NF, $4}' /tmp/tide-strace.$$
    rm -f /tmp/tide-strace.$$
}
one=$(count 1)
five=$(count 5)
echo "| rounds of 10,000 sleepers | system calls |"
echo "|---|---|"
echo "| 1 | $one |"
echo "| 5 | $five |"
