#!/usr/bin/env bash
# Proves what ./configure asks for: in a copy of the tree, with a pkg-config path that has
# no liburing it stops naming the Debian package to install, likewise without zlib, with
# one that has only liburing and zlib it succeeds (no other library is required), and with a php-config whose
# headers say ZTS (a thread-safe PHP) it stops saying that Tide needs an NTS PHP.
#   tools/configure-check.sh        last line: "configure-check: ok" or "... FAILED <why>"
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d /tmp/tide-configure-check.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

(cd "$root" && git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf -) \
    | tar -C "$tmp" -xf -
cd "$tmp"
phpize >/dev/null 2>&1

mkdir -p "$tmp/pc-none" "$tmp/pc-liburing" "$tmp/pc-both"
ln -s "$(pkg-config --variable=pcfiledir liburing)/liburing.pc" "$tmp/pc-liburing/liburing.pc"
ln -s "$(pkg-config --variable=pcfiledir liburing)/liburing.pc" "$tmp/pc-both/liburing.pc"
ln -s "$(pkg-config --variable=pcfiledir zlib)/zlib.pc" "$tmp/pc-both/zlib.pc"

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

if PKG_CONFIG_LIBDIR=$tmp/pc-liburing ./configure >"$tmp/out" 2>&1; then
    echo "configure-check: FAILED configure succeeded without zlib"
    exit 1
fi
if ! grep -q "apt-get install zlib1g-dev" "$tmp/out"; then
    tail -n 5 "$tmp/out"
    echo "configure-check: FAILED no 'apt-get install zlib1g-dev' when zlib is missing"
    exit 1
fi
echo "configure-check: without zlib: $(grep -o 'Tide needs.*' "$tmp/out" | head -1)"

if ! PKG_CONFIG_LIBDIR=$tmp/pc-both ./configure >"$tmp/out" 2>&1; then
    tail -n 5 "$tmp/out"
    echo "configure-check: FAILED configure needs more than liburing and zlib"
    exit 1
fi
echo "configure-check: with liburing and zlib alone: configure succeeds"

# A thread-safe PHP: the same headers, but main/php_config.h defines ZTS. phpize's configure
# reads ZTS from there (php-config --include-dir).
inc=$(php-config --include-dir)
zts=$tmp/zts
mkdir -p "$zts/include/main"
for e in "$inc"/*; do [[ ${e##*/} == main ]] || ln -s "$e" "$zts/include/"; done
for e in "$inc"/main/*; do [[ ${e##*/} == php_config.h ]] || ln -s "$e" "$zts/include/main/"; done
{ cat "$inc/main/php_config.h"; echo '#define ZTS 1'; } >"$zts/include/main/php_config.h"
printf '#!/bin/sh\nif [ "$1" = --include-dir ]; then echo "%s"; else exec php-config "$@"; fi\n' \
    "$zts/include" >"$zts/php-config"
chmod +x "$zts/php-config"
if ./configure --with-php-config="$zts/php-config" >"$tmp/out" 2>&1; then
    echo "configure-check: FAILED configure accepted a thread-safe (ZTS) PHP"
    exit 1
fi
if ! grep -q "Tide does not support thread-safe (ZTS) PHP" "$tmp/out"; then
    tail -n 5 "$tmp/out"
    echo "configure-check: FAILED no clear message for a thread-safe (ZTS) PHP"
    exit 1
fi
echo "configure-check: with a ZTS PHP: $(grep -o 'Tide does not support[^:]*' "$tmp/out" | head -1)"
echo "configure-check: ok"
