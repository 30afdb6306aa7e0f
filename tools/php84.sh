#!/usr/bin/env bash
# Builds Tide against PHP 8.4 and runs the phpt suite there, in a Debian 13 (trixie) chroot:
# Debian 12 has only PHP 8.2, and trixie ships php8.4-dev.
#
#   tools/php84.sh [phpt paths...]    (default: tests/)
#   tools/php84.sh --prepare          only make (or check) the chroot; ./dev test runs this
#                                     in the background while it builds and runs 8.2 tests
#
# The chroot is cached at ${TIDE_PHP84_ROOT:-/var/cache/tide/trixie-php84} and made with
# debootstrap when missing (1 to 4 minutes; debootstrap is installed with apt-get if need
# be). It is made in a temporary folder next to it and renamed into place once it works,
# so a half-made chroot is never reused. Each run copies the current tree (tracked and
# untracked-but-not-ignored files, and tests/node/node_modules) into the chroot, builds it there with the chroot's
# phpize, configure and make (warnings are errors), then runs the chroot's run-tests.php
# (the copy phpize puts in the tree) with -j2, once with TIDE_REACTOR=io_uring and once
# with TIDE_REACTOR=epoll. /proc is mounted in the chroot for the run and unmounted after,
# also on failure. Servers started in the chroot share the host's loopback.
#
# Prints the diff of every failed test; the last line is "N passed, N failed, N skipped"
# over both runs (warned, leaked and borked tests count as failed), and the exit status
# is non-zero when anything failed or could not run. Runs are serialised by a lock file
# next to the chroot. Needs root (debootstrap, chroot, mount).
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
root=${TIDE_PHP84_ROOT:-/var/cache/tide/trixie-php84}
root=${root%/}
MARK=.tide-php84-chroot # in chroots this script made (only those does it ever delete)
# What the build needs, and what the tests use (ss, from iproute2: framing_backlog.phpt).
PACKAGES=php8.4-cli,php8.4-dev,php8.4-curl,liburing-dev,zlib1g-dev,pkg-config,make,gcc,libc6-dev,iproute2,curl,nginx
# Installed with apt-get into the chroot (a new one or a cached one) when it lacks them:
# added since chroots were first made, or too big for debootstrap's --include. A failure
# only makes the tests that need them skip. nodejs and chromium: the WebSocket tests with
# real clients (tests/websocket/npm_*.phpt, browser_*.phpt). The framework packages:
# tests/frameworks (trixie has Symfony 6.4 and Laravel 10; Debian 12 has 5.4 and 8).
LATER_PACKAGES=(php8.4-curl nodejs chromium php-symfony-http-kernel php-symfony-framework-bundle
                php-symfony-runtime php-laravel-framework)

log() { printf '==> php84: %s\n' "$*" >&2; }
die() { echo "php84: $*" >&2; echo "0 passed, 1 failed, 0 skipped"; exit 1; }
prepare_only=false
if [[ ${1:-} == --prepare ]]; then
    prepare_only=true
    shift
fi

[[ $(id -u) == 0 ]] || die "needs root (debootstrap, chroot, mount /proc); run it with sudo"

mkdir -p "$(dirname "$root")"
exec 9>"$root.lock"
flock 9

# Unmounts whatever is mounted at or below $1 (deepest first).
unmount_below() {
    local dir mnt
    dir=$(realpath -m "$1")
    awk '{print $2}' /proc/self/mounts | while read -r mnt; do
        mnt=$(printf '%b' "$mnt") # /proc/self/mounts escapes spaces as \040
        if [[ $mnt == "$dir" || $mnt == "$dir"/* ]]; then echo "$mnt"; fi
    done | sort -r | while read -r mnt; do umount -l "$mnt" || true; done
}

# Removes a chroot folder, never crossing into a mount that was left in it.
remove_tree() {
    unmount_below "$1"
    rm -rf --one-file-system "$1"
}

# True when $1 holds what a run needs.
chroot_ok() {
    [[ -x $1/usr/bin/php8.4 && -x $1/usr/bin/phpize && -x $1/usr/bin/make ]] &&
        chroot "$1" /bin/sh -c 'gcc --version && pkg-config --exists "liburing >= 2.3" && pkg-config --exists zlib &&
            command -v ss && command -v curl && test -x /usr/sbin/nginx' \
            >/dev/null 2>&1
}

# The Debian mirror the host uses (deb822 or one-line sources), else deb.debian.org.
mirror() {
    local m=""
    m=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
    [[ -n $m ]] || m=$(awk '$1 == "deb" && $2 !~ /security/ {print $2; exit}' \
        /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true)
    echo "${m:-http://deb.debian.org/debian}"
}

make_chroot() {
    if ! command -v debootstrap >/dev/null; then
        log "installing debootstrap"
        apt-get -o DPkg::Lock::Timeout=600 update -qq
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
            debootstrap >/dev/null
    fi
    local tmp m
    m=$(mirror)
    tmp=$(mktemp -d "$root.new.XXXXXX")
    chmod 755 "$tmp" # its / : mktemp's 0700 would keep workers that drop to nobody out
    log "making the Debian 13 chroot with debootstrap from $m (1 to 4 minutes)"
    if ! debootstrap --variant=minbase --include="$PACKAGES" trixie "$tmp" "$m" \
            >"$tmp.log" 2>&1; then
        tail -n 20 "$tmp.log" >&2
        remove_tree "$tmp"
        die "debootstrap failed (log above)"
    fi
    if ! chroot_ok "$tmp"; then
        remove_tree "$tmp"
        die "the new chroot lacks php8.4, phpize, make, gcc, liburing, zlib, ss, curl or nginx"
    fi
    rm -f "$tmp.log"
    echo "made by tools/php84.sh on $(date -u +%FT%TZ) from $m" >"$tmp/$MARK"
    [[ -e $root ]] && remove_tree "$root"
    mv -T "$tmp" "$root"
}

# Leftovers of a run that was killed, and of a chroot that was being made.
for old in "$root".new.*; do
    [[ -e $old ]] || continue
    [[ $old == *.log ]] && { rm -f "$old"; continue; }
    remove_tree "$old"
done
unmount_below "$root"
if [[ -d $root ]] && chroot_ok "$root"; then
    log "using the chroot at $root ($(chroot "$root" php -r 'echo PHP_VERSION;'))"
elif [[ -e $root && ! -f $root/$MARK ]]; then
    die "$root exists but is not a usable chroot, and this script did not make it: move it away"
else
    [[ -e $root ]] && log "$root is incomplete: making it again"
    make_chroot
fi
missing=()
for p in "${LATER_PACKAGES[@]}"; do
    chroot "$root" dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
    log "installing ${missing[*]} into the chroot"
    cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
    # /proc for the packages' scripts (unmounted again: the run below mounts its own)
    mount -t proc proc "$root/proc"
    chroot "$root" /bin/sh -c "apt-get -o DPkg::Lock::Timeout=600 update -qq &&
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq ${missing[*]}" \
        >"$root.later.log" 2>&1 || { tail -n 5 "$root.later.log" >&2; log "could not install ${missing[*]} (their tests will skip)"; }
    umount "$root/proc" 2>/dev/null || umount -l "$root/proc" 2>/dev/null || true
    rm -f "$root.later.log"
fi
$prepare_only && exit 0
# Work folders of runs that were killed (the lock says no other run is using one).
rm -rf --one-file-system "$root"/tmp/tide.*

work=$(mktemp -d "$root/tmp/tide.XXXXXX")
chmod 755 "$work" # as a checkout would be: tests run server workers as nobody
inside=${work#"$root"}
cleanup() {
    umount "$root/proc" 2>/dev/null || umount -l "$root/proc" 2>/dev/null || true
    rm -rf --one-file-system "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mount -t proc proc "$root/proc"

(cd "$src" && git ls-files -z --cached --others --exclude-standard |
    tar --null --ignore-failed-read -T - -cf - 2>/dev/null) | tar -C "$work" -xf -
# The npm modules of tests/node (git ignores them, so they are not in the copy above; the
# host's ./dev test installs them): plain JavaScript, run by the chroot's node.
if [[ -d $src/tests/node/node_modules ]]; then
    cp -a "$src/tests/node/node_modules" "$work/tests/node/"
fi

# A clean environment inside: the host's PATH, TMPDIR and the like mean nothing there.
in_chroot() {
    chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C \
        "$@"
}

log "phpize && ./configure && make (-Werror) with $(chroot "$root" php-config --version)"
if ! in_chroot /bin/sh -c "cd '$inside' && phpize && ./configure -q &&
        make -s -j$(nproc) EXTRA_CFLAGS=-Werror && make -s -C tests/c noring" \
        >"$work/build.log" 2>&1 || [[ ! -f $work/modules/tide.so ]]; then
    tail -n 40 "$work/build.log" >&2
    die "the build failed on PHP 8.4"
fi

P=0 F=0 S=0
for backend in io_uring epoll; do
    log "phpt (PHP 8.4, TIDE_REACTOR=$backend)"
    out=$work/phpt-$backend.out
    set +e
    in_chroot TIDE_REACTOR=$backend NO_INTERACTION=1 REPORT_EXIT_STATUS=1 /bin/sh -c \
        'cd "$0" && php run-tests.php -q -j2 -n -d extension="$0/modules/tide.so" \
            --show-diff --set-timeout 300 "$@"' "$inside" "${@:-tests}" >"$out" 2>&1
    set -e
    if ! grep -q '^Tests passed' "$out"; then
        tail -n 30 "$out"
        F=$((F + 1))
        continue
    fi
    P=$((P + $(awk -F: '/^Tests passed/ {print $2+0}' "$out")))
    F=$((F + $(awk -F: '/^Tests (failed|borked|warned|leaked)/ {s+=$2} END {print s+0}' "$out")))
    S=$((S + $(awk -F: '/^Tests skipped/ {print $2+0}' "$out")))
    # What failed (run-tests' summary), then how: each diff (between DIFF and DONE
    # markers, 40 lines at most) after the line naming its test.
    sed 's/\x1b\[[0-9;]*m//g' "$out" |
        awk '/(FAILED|WARNED|LEAKED|BORKED) TEST SUMMARY/ {on=1} on {print}' || true
    sed 's/\x1b\[[0-9;]*m//g' "$out" |
        awk '/^========DIFF========/ {d=1; n=0; buf=""; next}
             /^========DONE========/ {d=0; keep=buf; next}
             d { if (++n <= 40) buf = buf $0 "\n"; else if (n == 41) buf = buf "[...]\n"; next }
             /^(FAIL|WARN|LEAK|BORK)/ && keep != "" { print "---- " $0; printf "%s", keep; keep="" }' || true
done

echo "$P passed, $F failed, $S skipped"
((F == 0))
