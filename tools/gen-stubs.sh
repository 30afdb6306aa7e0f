#!/usr/bin/env bash
# Regenerate php_stubs/*_arginfo.h from php_stubs/*.stub.php, offline.
#
#   tools/gen-stubs.sh                  regenerate arginfo for changed stubs
#   tools/gen-stubs.sh -f               regenerate all of them (force)
#   tools/gen-stubs.sh [-f] FILE.stub.php...   only these stubs
#   tools/gen-stubs.sh --check          exit 1 if any arginfo is stale or missing
#
# Uses PHP's own gen_stub.php (php8.2-dev) with Debian's PHP-Parser
# (apt-get install php-parser) instead of letting it download one.
# gen_stub.php loads PHP-Parser from <its dir>/PHP-Parser-4.15.1/lib/ and only
# downloads it when that directory is missing, so we run a copy of it from a
# temp dir where that path is a symlink to /usr/share/php/PhpParser.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
php=${PHP:-php}
gen_stub=${GEN_STUB:-/usr/lib/php/20220829/build/gen_stub.php}
parser=/usr/share/php/PhpParser

# Same hash as gen_stub.php's computeStubHash(): sha1 of the stub, CRLF -> LF.
stub_hash() {
    "$php" -r 'echo sha1(str_replace("\r\n", "\n", file_get_contents($argv[1])));' "$1"
}

check() {
    local bad=0 stub h want
    shopt -s nullglob
    for stub in "$root"/php_stubs/*.stub.php; do
        [[ -f ${stub%.stub.php}_arginfo.h ]] && continue
        echo "missing arginfo: php_stubs/$(basename "${stub%.stub.php}")_arginfo.h (for ${stub#"$root"/})"
        bad=1
    done
    for h in "$root"/php_stubs/*_arginfo.h; do
        stub=${h%_arginfo.h}; stub=${stub%_legacy}.stub.php
        if [[ ! -f $stub ]]; then
            echo "no stub for ${h#"$root"/} (expected ${stub#"$root"/})"; bad=1; continue
        fi
        want=$(stub_hash "$stub")
        if ! grep -q "Stub hash: $want \*/" "$h"; then
            echo "stale: ${h#"$root"/} does not match ${stub#"$root"/} (want stub hash $want)"; bad=1
        fi
    done
    if (( bad )); then echo "run tools/gen-stubs.sh to regenerate"; exit 1; fi
    echo "gen-stubs: all arginfo headers up to date"
}

if [[ ${1:-} == --check ]]; then check; exit 0; fi

force=()
if [[ ${1:-} == -f || ${1:-} == --force ]]; then force=(-f); shift; fi

[[ -f $gen_stub ]] || { echo "gen-stubs: $gen_stub not found (apt-get install php8.2-dev)" >&2; exit 1; }
[[ -d $parser ]] || { echo "gen-stubs: $parser not found (apt-get install php-parser)" >&2; exit 1; }

stubs=()
if (( $# )); then
    for s in "$@"; do stubs+=("$(cd "$(dirname "$s")" && pwd)/$(basename "$s")"); done
else
    shopt -s nullglob
    stubs=("$root"/php_stubs/*.stub.php)
fi
(( ${#stubs[@]} )) || { echo "gen-stubs: no stub files found" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$gen_stub" "$tmp/gen_stub.php"
mkdir -p "$tmp/PHP-Parser-4.15.1/lib"
ln -s "$parser" "$tmp/PHP-Parser-4.15.1/lib/PhpParser"

(cd "$tmp" && "$php" gen_stub.php "${force[@]}" "${stubs[@]}")
