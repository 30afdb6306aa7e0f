--TEST--
HTTP: a request body over http_body_buffer_size is written to an unnamed file in upload_tmp_dir as it arrives: a 64 MiB body leaves the receiving process's peak memory near idle; a 20 MiB multipart upload (with fields), a chunked 20 MiB body and a large urlencoded form arrive intact (getContent, getData, post, files); nothing is left in upload_tmp_dir; with http_body_buffer_size 0 bodies stay in memory; in both modes
--SKIPIF--
<?php if (!is_executable('/usr/bin/curl')) die('skip needs curl (apt-get install curl)'); ?>
--FILE--
<?php
require __DIR__ . '/../inc/http.inc';

$dir = sys_get_temp_dir() . '/tide-spool-test-' . getmypid();
@mkdir("$dir/tmp", 0777, true);
$huge = "$dir/huge.bin";
$fh = fopen($huge, 'w');
for ($i = 0; $i < 64; $i++) {
    fwrite($fh, random_bytes(1 << 20));
}
fclose($fh);
$file = "$dir/file.bin";
file_put_contents($file, random_bytes(20 << 20));
$form = 'a=' . str_repeat('x', 700000) . '&b%5B%5D=1&b%5B%5D=2';
file_put_contents("$dir/form.bin", $form);

/* Peak and current resident memory of a process, in KiB. */
function mem(int $pid): int
{
    preg_match('/VmHWM:\s+(\d+)/', (string) @file_get_contents("/proc/$pid/status"), $m);
    return (int) ($m[1] ?? 0);
}

foreach (TIDE_MODES as $mode => $name) {
    foreach ([null, 0] as $buffer) {
        $set = $buffer === null ? '' : "'http_body_buffer_size' => $buffer,";
        $srv = new TideServerProc(<<<PHP
            \$s = new Tide\\Http\\Server('127.0.0.1', 0, TIDE_TEST_MODE);
            \$s->set(['worker_num' => 1, 'upload_tmp_dir' => '$dir/tmp', 'log_level' => 5,
                     'package_max_length' => 80 << 20, 'upload_max_filesize' => 64 << 20, $set]);
            \$s->on('workerStart', fn(\$s, \$id) => tide_test_ready(\$s));
            \$s->on('request', function (\$req, \$res) {
                \$out = ['hwm' => (int) preg_replace('/.*VmHWM:\\s+(\\d+).*/s', '\$1', file_get_contents('/proc/self/status'))];
                \$q = \$req->get['q'] ?? '';
                if (\$q === 'content') {
                    \$body = \$req->getContent();
                    \$out += ['len' => strlen(\$body), 'md5' => md5(\$body),
                              'data' => strlen(\$req->getData()) - strlen(\$body) > 0];
                } elseif (\$q === 'form') {
                    \$out += ['a' => strlen(\$req->post['a'] ?? ''), 'b' => \$req->post['b'] ?? null,
                              'content' => strlen(\$req->getContent())];
                } elseif (\$q === 'files') {
                    \$f = \$req->files['up'];
                    \$out += ['title' => \$req->post['title'] ?? null, 'size' => \$f['size'],
                              'error' => \$f['error'], 'md5' => md5_file(\$f['tmp_name']),
                              'in_dir' => dirname(\$f['tmp_name']) === '$dir/tmp'];
                }
                \$res->end(json_encode(\$out));
            });
            \$s->start();
        PHP, $mode);
        $srv->waitReady(1);
        $url = "http://127.0.0.1:{$srv->port}/";
        $curl = fn(string $q, array $args) => json_decode((string) shell_exec('curl -s --max-time 30 '
            . implode(' ', array_map('escapeshellarg', $args)) . ' ' . escapeshellarg("$url?q=$q")), true);
        $label = $buffer === null ? "$name" : "$name, buffer 0";

        /* The process that receives the bytes: the master (MODE_PROCESS) or the worker. */
        $idle = $curl('idle', []);
        $receiver = $mode === Tide\MODE_PROCESS ? $srv->pid : null;
        $before = $receiver ? mem($receiver) : $idle['hwm'];
        $r = $curl('none', ['-X', 'PUT', '-H', 'Content-Type: application/octet-stream', '--data-binary', "@$huge"]);
        $after = $receiver ? mem($receiver) : $r['hwm'];
        $grew = intdiv($after - $before, 1024);
        if ($buffer === null) {
            echo "$label: 64 MiB body: receiver's peak memory grew ", $grew < 16 ? 'less than 16 MiB' : "$grew MiB", "\n";
        } else {
            echo "$label: 64 MiB body: receiver's peak memory grew ", $grew >= 64 ? 'by the body or more' : "$grew MiB", "\n";
        }

        $r = $curl('content', ['-H', 'Content-Type: application/octet-stream', '-H', 'Transfer-Encoding: chunked',
                               '--data-binary', "@$file"]);
        echo "$label: chunked body: ", $r['len'] === 20 << 20 && $r['md5'] === md5_file($file) && $r['data'] ? 'intact' : json_encode($r), "\n";

        $r = $curl('files', ['-F', 'title=hello', '-F', "up=@$file"]);
        echo "$label: upload: title {$r['title']}, error {$r['error']}, size ", $r['size'] === 20 << 20 ? '20 MiB' : $r['size'],
            ', ', $r['md5'] === md5_file($file) ? 'same bytes' : 'different bytes', ', ', $r['in_dir'] ? 'in upload_tmp_dir' : 'elsewhere', "\n";

        $r = $curl('form', ['--data-binary', "@$dir/form.bin"]);
        echo "$label: urlencoded: a ", $r['a'], ', b ', json_encode($r['b']), ', content ', $r['content'] === strlen($form) ? 'whole' : $r['content'], "\n";

        $left = count(glob("$dir/tmp/*"));
        $srv->stop();
        echo "$label: left in upload_tmp_dir: $left\n";
    }
}
array_map('unlink', glob("$dir/*.bin"));
@rmdir("$dir/tmp");
@rmdir($dir);
?>
--EXPECT--
process: 64 MiB body: receiver's peak memory grew less than 16 MiB
process: chunked body: intact
process: upload: title hello, error 0, size 20 MiB, same bytes, in upload_tmp_dir
process: urlencoded: a 700000, b ["1","2"], content whole
process: left in upload_tmp_dir: 0
process, buffer 0: 64 MiB body: receiver's peak memory grew by the body or more
process, buffer 0: chunked body: intact
process, buffer 0: upload: title hello, error 0, size 20 MiB, same bytes, in upload_tmp_dir
process, buffer 0: urlencoded: a 700000, b ["1","2"], content whole
process, buffer 0: left in upload_tmp_dir: 0
base: 64 MiB body: receiver's peak memory grew less than 16 MiB
base: chunked body: intact
base: upload: title hello, error 0, size 20 MiB, same bytes, in upload_tmp_dir
base: urlencoded: a 700000, b ["1","2"], content whole
base: left in upload_tmp_dir: 0
base, buffer 0: 64 MiB body: receiver's peak memory grew by the body or more
base, buffer 0: chunked body: intact
base, buffer 0: upload: title hello, error 0, size 20 MiB, same bytes, in upload_tmp_dir
base, buffer 0: urlencoded: a 700000, b ["1","2"], content whole
base, buffer 0: left in upload_tmp_dir: 0
