--TEST--
Tide\Process::daemon() in a child: the child exits 0, the daemon (a new session, cwd / unless nochdir) goes on and reports through an inherited pipe, with $pipes put on its stdout
--EXTENSIONS--
tide
--FILE--
<?php
require __DIR__ . '/process.inc';
use Tide\Process;

[$ours, $theirs] = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, 0);
$p = new Process(function () use ($ours, $theirs) {
    fclose($ours);
    Process::daemon(false, true, [null, $theirs]);
    // the daemon: stdout is the socket now
    echo json_encode(['pid' => getmypid(), 'sid' => posix_getsid_or_pid(), 'cwd' => getcwd()]), "\n";
}, false, 0);

function posix_getsid_or_pid(): int {
    // field 6 of /proc/self/stat is the session id
    $stat = file_get_contents('/proc/self/stat');
    $rest = substr($stat, strrpos($stat, ')') + 2);
    return (int) explode(' ', $rest)[3];
}

$child = tide_proc_track($p->start());
fclose($theirs);
$r = Process::wait();
echo "child exited: ", $r['pid'] === $child ? "code {$r['code']}" : "?", "\n";
stream_set_timeout($ours, 10);
$line = fgets($ours);
$d = json_decode($line, true);
tide_proc_track($d['pid']);
echo "daemon is another process: ", $d['pid'] !== $child ? "yes" : "no", "\n";
echo "daemon leads its own session: ", $d['sid'] === $d['pid'] ? "yes" : "no", "\n";
echo "daemon cwd: ", $d['cwd'], "\n";
// the daemon ends after its output: the socket closes
echo "end of output: ", fgets($ours) === false ? "yes" : "no", "\n";
?>
--EXPECT--
child exited: code 0
daemon is another process: yes
daemon leads its own session: yes
daemon cwd: /
end of output: yes
