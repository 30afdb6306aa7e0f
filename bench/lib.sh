# Helpers of the bench/*.sh scripts (sourced).

free_port() { php -r '$s=stream_socket_server("tcp://127.0.0.1:0");echo explode(":",stream_socket_get_name($s,false))[1];'; }

# Every pid of a process tree.
tree() {
    local p=$1
    echo "$p"
    for c in $(cat /proc/"$p"/task/*/children 2>/dev/null); do tree "$c"; done
}

# Clock ticks of CPU (utime+stime) used so far by a process tree; with a second argument
# "leaves", only by its processes without children (a Tide server's workers).
ticks() {
    local sum=0 p f
    for p in $(tree "$1"); do
        [[ -r /proc/$p/stat ]] || continue
        [[ ${2:-} == leaves && -n $(cat /proc/"$p"/task/*/children 2>/dev/null) ]] && continue
        f=$(sed 's/.*) //' /proc/"$p"/stat)
        set -- $f
        sum=$((sum + ${12} + ${13}))
    done
    echo "$sum"
}

# Clock ticks of system (kernel) CPU (stime) used so far by a process tree.
sys_ticks() {
    local sum=0 p f
    for p in $(tree "$1"); do
        [[ -r /proc/$p/stat ]] || continue
        f=$(sed 's/.*) //' /proc/"$p"/stat)
        set -- $f
        sum=$((sum + ${13}))
    done
    echo "$sum"
}

# One wrk round against http://127.0.0.1:PORT/ (wrk -t1 -c$C -d${D}s --latency, its output in
# $tmp/wrk) with PIDS the server's process trees: "req/s p99 cpu-us/request sys-us/request".
measure() {
    local port=$1
    shift
    local t0=0 t1=0 s0=0 s1=0 p reqs
    for p in "$@"; do t0=$((t0 + $(ticks "$p"))); s0=$((s0 + $(sys_ticks "$p"))); done
    wrk -t1 -c"$C" -d"${D}s" --latency "http://127.0.0.1:$port/" >"$tmp/wrk" 2>&1
    for p in "$@"; do t1=$((t1 + $(ticks "$p"))); s1=$((s1 + $(sys_ticks "$p"))); done
    reqs=$(awk '/requests in/ {print $1}' "$tmp/wrk")
    awk -v a="$t0" -v b="$t1" -v c="$s0" -v d="$s1" -v n="$reqs" -v hz="$HZ" \
        -v rps="$(awk '/^Requests\/sec/ {print $2}' "$tmp/wrk")" \
        -v p99="$(awk '$1 == "99%" {print $2}' "$tmp/wrk")" \
        'BEGIN {printf "%s %s %.3f %.3f\n", rps, p99, (b - a) / hz / n * 1e6, (d - c) / hz / n * 1e6}'
}
