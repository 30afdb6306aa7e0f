--TEST--
Server: sendfile() opens the file with the worker's own rights: a worker that dropped to user 'nobody' cannot send a file only root may read (false, with a warning), while a file nobody may read goes out whole, in both modes (the master, still root, never opens it for the worker)
--SKIPIF--
<?php
if (posix_getuid_safe() !== 0) die('skip needs root, to drop to nobody');
function posix_getuid_safe(): int { return (int) trim((string) shell_exec('id -u')); }
if (trim((string) shell_exec('id -u nobody 2>/dev/null')) === '') die('skip no user nobody');
?>
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

$dir = sys_get_temp_dir() . '/tide-sendfile-rights-' . getmypid();
mkdir($dir, 0755);
chmod($dir, 0755);
file_put_contents("$dir/secret", 'root only: ' . str_repeat('s', 1000));
chmod("$dir/secret", 0600);
file_put_contents("$dir/public", str_repeat('p', 300000));
chmod("$dir/public", 0644);

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<PHP
        \$s = new Tide\\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        \$s->set(['worker_num' => 1, 'user' => 'nobody', 'open_eof_split' => true, 'package_eof' => "\\n"]);
        \$s->on('workerStart', fn(\$s, \$id) => tide_test_ready(\$s));
        \$s->on('receive', function (\$s, \$fd, \$rid, \$data) {
            \$file = '$dir/' . trim(\$data);
            \$warning = '';
            set_error_handler(function (\$no, \$msg) use (&\$warning) { \$warning = \$msg; return true; });
            \$ok = \$s->sendfile(\$fd, \$file);
            restore_error_handler();
            echo "sendfile " . trim(\$data) . " as uid " . posix_getuid_safe() . ": " . json_encode(\$ok) . " \$warning\\n";
            \$s->send(\$fd, "END\\n");
        });
        function posix_getuid_safe(): int { return (int) trim((string) shell_exec('id -u')); }
        \$s->start();
    PHP, $mode);
    $srv->waitReady(1);
    $nobody = (int) trim((string) shell_exec('id -u nobody'));
    foreach (['secret', 'public'] as $f) {
        $c = tide_connect($srv->port);
        fwrite($c, "$f\n");
        $got = tide_read_until($c, "END\n");
        $body = substr($got, 0, -4);
        $line = preg_match("/^sendfile $f as uid (\\d+): (\\w+) (.*)$/m", $srv->out(), $m) ? $m : null;
        echo "$name, $f: ", $line ? ($line[1] == $nobody ? 'as nobody' : "as uid $line[1]") . ", returned $line[2]" .
            ($line[3] !== '' ? ', warning ' . (str_contains($line[3], 'Permission denied') ? 'says permission denied' : $line[3]) : '') : 'no report: ' . $srv->out(),
            ', client got ', $body === '' ? 'nothing' : ($body === file_get_contents("$dir/$f") ? 'the whole file' : strlen($body) . ' bytes'), "\n";
    }
    $srv->stop();
}
unlink("$dir/secret");
unlink("$dir/public");
rmdir($dir);
?>
--EXPECT--
process, secret: as nobody, returned false, warning says permission denied, client got nothing
process, public: as nobody, returned true, client got the whole file
base, secret: as nobody, returned false, warning says permission denied, client got nothing
base, public: as nobody, returned true, client got the whole file
