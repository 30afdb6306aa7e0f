#!/usr/bin/env bash
# Prove that the PECL package builds: `pecl package` in a temporary copy of the
# tree, then a real offline `pecl install` of the resulting tgz into a throwaway
# root, then load the built tide.so with `php -n`.
# Nothing outside a temp dir is touched (no pecl config-set, no system ext dir):
#  - --packagingroot puts every installed file (tide.so, pecl's registry, docs,
#    tests) under $tmp/root; it is the only option that also re-roots the built
#    .so (--installroot copies it into the real ext_dir!);
#  - a private user config (-c) moves pecl's temp/download/cache dirs to $tmp;
#  - --offline keeps pecl from contacting any channel.
# PEAR 1.10.13 bug worked around below: with --packagingroot the sources are
# unpacked to <root><temp_dir>/tide but phpize runs in <temp_dir>/tide.
#
#   tools/pecl-check.sh          (KEEP=1 keeps the temp dir for inspection)
#
# Last line of output is `pecl-check: ok` or `pecl-check: FAILED <why>`.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d /tmp/tide-pecl-check.XXXXXX)
[[ ${KEEP:-0} == 1 ]] && echo "pecl-check: keeping $tmp" || trap 'rm -rf "$tmp"' EXIT

fail() {
    [[ -f $tmp/log ]] && tail -n 40 "$tmp/log"
    echo "pecl-check: FAILED $*"
    exit 1
}

if ! command -v pecl >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y php-pear \
        >/dev/null || fail "php-pear is not installed and apt-get install failed"
fi
command -v phpize >/dev/null || fail "phpize not found (apt-get install php-dev)"

# Copy of the tree: tracked plus untracked-but-not-ignored files.
mkdir -p "$tmp/src"
(cd "$root" && git ls-files -z --cached --others --exclude-standard \
    | tar --null --ignore-failed-read -T - -cf - 2>/dev/null) | tar -C "$tmp/src" -xf - \
    || fail "could not copy the source tree"

# Private pecl user config, used for this run only.
php -r 'echo "#PEAR_Config 0.9\n", serialize(["temp_dir" => "$argv[1]/temp",
    "download_dir" => "$argv[1]/download", "cache_dir" => "$argv[1]/cache"]);' "$tmp/pear" >"$tmp/pearrc"
pecl_() { pecl -c "$tmp/pearrc" "$@"; }
mkdir -p "$tmp/pear/temp"
ln -s "$tmp/root$tmp/pear/temp/tide" "$tmp/pear/temp/tide"   # the bug workaround

echo "pecl-check: pecl package"
(cd "$tmp/src" && pecl_ package package.xml) >"$tmp/log" 2>&1 || fail "pecl package"
tgz=$(ls "$tmp"/src/tide-*.tgz 2>/dev/null | head -n1)
[[ -n $tgz ]] || fail "pecl package produced no tide-*.tgz"
echo "pecl-check: built $(basename "$tgz")"

echo "pecl-check: pecl install --offline --packagingroot (this compiles the extension)"
pecl_ install --offline --packagingroot="$tmp/root" "$tgz" </dev/null >"$tmp/log" 2>&1 \
    || fail "pecl install"
grep -q '^install ok' "$tmp/log" || fail "pecl install did not report 'install ok'"

so=$tmp/root$(php-config --extension-dir)/tide.so
[[ -f $so ]] || fail "pecl install left no $so"
echo "pecl-check: installed $so"

out=$(php -n -d extension="$so" -r 'echo extension_loaded("tide") ? "ok" : "no";' 2>&1) || true
[[ $out == ok ]] || fail "php -n -d extension=tide.so: $out"
echo "pecl-check: ok"
