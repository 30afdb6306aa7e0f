#!/usr/bin/env bash
# Proves what ./configure asks for: in a copy of the tree, with a pkg-config path that has
# no liburing it stops naming the Debian package to install, and with one that has only
# liburing it succeeds (no other library is required).
#   tools/configure-check.sh        last line: "configure-check: ok" or "... FAILED <why>"
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d /tmp/tide-configure-check.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

(cd "$root" && git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf -) \
    | tar -C "$tmp" -xf -
cd "$tmp"
phpize >/dev/null 2>&1

mkdir -p "$tmp/pc-none" "$tmp/pc-liburing"
ln -s "$(pkg-config --variable=pcfiledir liburing)/liburing.pc" "$tmp/pc-liburing/liburing.pc"

if PKG_CONFIG_LIBDIR=$tmp/pc-none ./configure >"$tmp/out" 2>&1; then
    echo "configure-check: FAILED configure succeeded without liburing"
    exit 1
fi
if ! grep -q "apt-get install liburing-dev" "$tmp/out"; then
    tail -n 5 "$tmp/out"
    echo "configure-check: FAILED no 'apt-get install liburing-dev' when liburing is missing"
    exit 1
fi
echo "configure-check: without liburing: $(grep -o 'Tide needs.*' "$tmp/out" | head -1)"

if ! PKG_CONFIG_LIBDIR=$tmp/pc-liburing ./configure >"$tmp/out" 2>&1; then
    tail -n 5 "$tmp/out"
    echo "configure-check: FAILED configure needs more than liburing"
    exit 1
fi
echo "configure-check: with liburing alone: configure succeeds"
echo "configure-check: ok"
