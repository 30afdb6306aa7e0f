--TEST--
HTTP: multipart/form-data bodies fill post and files in PHP's $_FILES shape (arrays of files too); each file is written under upload_tmp_dir, kept when the handler renames it and removed when the request is done; a file over upload_max_filesize gets error 1, an empty file input error 4; a malformed body keeps the parts before the fault, in both modes
--SKIPIF--
<?php if (!is_executable('/usr/bin/curl')) die('skip needs curl (apt-get install curl)'); ?>
--FILE--
<?php
require __DIR__ . '/../inc/http.inc';

$dir = sys_get_temp_dir() . '/tide-upload-test-' . getmypid();
@mkdir("$dir/tmp", 0777, true);
$a = random_bytes(5000);
file_put_contents("$dir/a.bin", $a);
file_put_contents("$dir/big.bin", random_bytes(20000));
foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<PHP
        \$s = new Tide\\Http\\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        \$s->set(['worker_num' => 1, 'upload_tmp_dir' => '$dir/tmp', 'upload_max_filesize' => 10000,
                 'log_level' => 5]);
        \$s->on('workerStart', fn(\$s, \$id) => tide_test_ready(\$s));
        \$s->on('request', function (\$req, \$res) {
            static \$last = [];
            \$gone = array_map(fn(\$p) => file_exists(\$p) ? 'still there' : 'removed', \$last);
            \$last = [];
            \$files = \$req->files ?? [];
            \$see = function (\$t) use (&\$last) {
                if (\$t === '') return '';
                \$last[] = \$t;
                return (str_starts_with(\$t, '$dir/tmp/') ? 'in upload_tmp_dir' : \$t) . ' ' . md5_file(\$t);
            };
            foreach (\$files as \$k => \$f) {
                \$files[\$k]['tmp_name'] = is_array(\$f['tmp_name']) ? array_map(\$see, \$f['tmp_name']) : \$see(\$f['tmp_name']);
            }
            if (isset(\$req->files['keep'])) {
                rename(\$req->files['keep']['tmp_name'], '$dir/kept');
            }
            \$res->end(json_encode(['post' => \$req->post, 'files' => \$files, 'previous' => \$gone]));
        });
        \$s->start();
    PHP, $mode);
    $srv->waitReady(1);
    $url = "http://127.0.0.1:{$srv->port}/";
    $run = fn(array $args) => json_decode(shell_exec('curl -s --max-time 10 ' . implode(' ', array_map('escapeshellarg', $args)) . ' ' . escapeshellarg($url)), true);
    $r = $run(['-F', 'title=hello', '-F', 'tags[]=a', '-F', 'tags[]=b',
               '-F', "doc=@$dir/a.bin;type=application/x-test", '-F', "many[]=@$dir/a.bin", '-F', "many[]=@$dir/a.bin;filename=sub/two.bin",
               '-F', "big=@$dir/big.bin", '-F', 'empty=@/dev/null;filename=']);
    echo "$name: post ", json_encode($r['post']), "\n";
    $md5 = md5($a);
    echo "$name: doc ", str_replace($md5, 'MD5', json_encode($r['files']['doc'])), "\n";
    echo "$name: many ", str_replace($md5, 'MD5', json_encode($r['files']['many'])), "\n";
    echo "$name: big ", json_encode($r['files']['big']), "\n";
    echo "$name: empty ", json_encode($r['files']['empty'] ?? null), "\n";
    $r = $run(['-F', "keep=@$dir/a.bin"]);
    echo "$name: files of the request before: ", json_encode(array_count_values($r['previous'])), "\n";
    echo "$name: renamed by the handler: ", file_exists("$dir/kept") && md5_file("$dir/kept") === $md5 ? 'kept' : 'lost', "\n";
    @unlink("$dir/kept");
    $r = $run(['-H', 'Content-Type: multipart/form-data; boundary=zz', '--data-binary',
               "--zz\r\nContent-Disposition: form-data; name=\"ok\"\r\n\r\nfine\r\n--zz\r\nbroken"]);
    echo "$name: malformed: post ", json_encode($r['post']), ", files ", json_encode($r['files']), "\n";
    $srv->stop();
    echo "$name: left in upload_tmp_dir: ", count(glob("$dir/tmp/*")), "\n";
}
array_map('unlink', glob("$dir/*.bin"));
@rmdir("$dir/tmp");
@rmdir($dir);
?>
--EXPECT--
process: post {"title":"hello","tags":["a","b"]}
process: doc {"name":"a.bin","full_path":"a.bin","type":"application\/x-test","tmp_name":"in upload_tmp_dir MD5","error":0,"size":5000}
process: many {"name":["a.bin","two.bin"],"full_path":["a.bin","sub\/two.bin"],"type":["application\/octet-stream","application\/octet-stream"],"tmp_name":["in upload_tmp_dir MD5","in upload_tmp_dir MD5"],"error":[0,0],"size":[5000,5000]}
process: big {"name":"big.bin","full_path":"big.bin","type":"application\/octet-stream","tmp_name":"","error":1,"size":0}
process: empty {"name":"","full_path":"","type":"application\/octet-stream","tmp_name":"","error":4,"size":0}
process: files of the request before: {"removed":3}
process: renamed by the handler: kept
process: malformed: post {"ok":"fine"}, files []
process: left in upload_tmp_dir: 0
base: post {"title":"hello","tags":["a","b"]}
base: doc {"name":"a.bin","full_path":"a.bin","type":"application\/x-test","tmp_name":"in upload_tmp_dir MD5","error":0,"size":5000}
base: many {"name":["a.bin","two.bin"],"full_path":["a.bin","sub\/two.bin"],"type":["application\/octet-stream","application\/octet-stream"],"tmp_name":["in upload_tmp_dir MD5","in upload_tmp_dir MD5"],"error":[0,0],"size":[5000,5000]}
base: big {"name":"big.bin","full_path":"big.bin","type":"application\/octet-stream","tmp_name":"","error":1,"size":0}
base: empty {"name":"","full_path":"","type":"application\/octet-stream","tmp_name":"","error":4,"size":0}
base: files of the request before: {"removed":3}
base: renamed by the handler: kept
base: malformed: post {"ok":"fine"}, files []
base: left in upload_tmp_dir: 0
