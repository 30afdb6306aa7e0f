#!/usr/bin/env bash
# Proves that ./configure stops with the Debian package to install when a library is
# missing: for each of liburing, nghttp2, OpenSSL and zlib, configure runs in a copy of the
# tree with a pkg-config path that has every other library but that one.
#   tools/configure-check.sh        last line: "configure-check: ok" or "... FAILED <why>"
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d /tmp/tide-configure-check.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

(cd "$root" && git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf -) \
    | tar -C "$tmp" -xf -
cd "$tmp"
phpize >/dev/null 2>&1

# module -> the .pc files it needs, and the Debian package configure must name
declare -A pcs=([liburing]="liburing" [libnghttp2]="libnghttp2"
                [openssl]="openssl libssl libcrypto" [zlib]="zlib")
declare -A deb=([liburing]=liburing-dev [libnghttp2]=libnghttp2-dev [openssl]=libssl-dev
                [zlib]=zlib1g-dev)

for missing in liburing libnghttp2 openssl zlib; do
    dir=$tmp/pc-without-$missing
    mkdir -p "$dir"
    for mod in "${!pcs[@]}"; do
        [[ $mod == "$missing" ]] && continue
        for pc in ${pcs[$mod]}; do
            ln -sf "$(pkg-config --variable=pcfiledir "$pc")/$pc.pc" "$dir/$pc.pc"
        done
    done
    if PKG_CONFIG_LIBDIR=$dir ./configure >"$tmp/out" 2>&1; then
        echo "configure-check: FAILED configure succeeded without $missing"
        exit 1
    fi
    if ! grep -q "apt-get install ${deb[$missing]}" "$tmp/out"; then
        tail -n 5 "$tmp/out"
        echo "configure-check: FAILED no 'apt-get install ${deb[$missing]}' when $missing is missing"
        exit 1
    fi
    echo "configure-check: without $missing: $(grep -o 'Tide needs.*' "$tmp/out" | head -1)"
done
echo "configure-check: ok"
