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
