--TEST--
Frameworks: examples/symfony_runtime.php serves a Symfony MicroKernelTrait app (Debian's packages: 5.4 on Debian 12, 6.4 on 13) booted once per worker, as a script and as APP_RUNTIME, in both modes
--SKIPIF--
<?php
require __DIR__ . '/fw.inc';
tide_fw_skipif([
    'php-symfony-http-kernel' => '/usr/share/php/Symfony/Component/HttpKernel/autoload.php',
    'php-symfony-framework-bundle' => '/usr/share/php/Symfony/Bundle/FrameworkBundle/autoload.php',
    'php-symfony-runtime' => '/usr/share/php/Symfony/Component/Runtime/autoload.php',
]);
?>
--FILE--
<?php
require __DIR__ . '/fw.inc';

$runner = realpath(__DIR__ . '/../../examples/symfony_runtime.php');
$front = realpath(__DIR__ . '/symfony-app/public/index.php');
$var = tide_fw_vardir();
$env = ['TIDE_PORT' => 0, 'TIDE_WORKER_NUM' => 2, 'APP_ENV' => 'prod', 'APP_DEBUG' => 0, 'APP_VAR_DIR' => $var];
$ways = [
    /* php examples/symfony_runtime.php public/index.php */
    'script' => "\$_SERVER['SCRIPT_FILENAME'] = '$runner';\n\$_SERVER['argv'] = ['$runner', '$front'];\nrequire '$runner';\n",
    /* APP_RUNTIME=Tide\Symfony\Runtime php -d auto_prepend_file=examples/symfony_runtime.php public/index.php */
    'runtime' => "\$_SERVER['APP_RUNTIME'] = 'Tide\\\\Symfony\\\\Runtime';\nrequire '$runner';\n\$_SERVER['SCRIPT_FILENAME'] = '$front';\nrequire '$front';\n",
];
try {
    foreach (TIDE_MODES as $mode => $modeName) {
        foreach ($ways as $way => $code) {
            if ($modeName === 'base' && $way === 'runtime') {
                continue; /* one way is enough in the second mode */
            }
            $label = "$modeName/$way";
            [$srv, $port] = tide_fw_start($code, $mode, $env + ['TIDE_MODE' => $modeName]);
            tide_fw_common_checks($label, $port);

            $c = tide_connect($port);
            $r = tide_fw_req($c, 'GET', '/echo?a=1&b[]=x', ['User-Agent' => 'fw-test', 'X-Test' => 'yes']);
            echo "$label: GET /echo ", $r['body'], "\n";
            $r = tide_fw_req($c, 'PUT', '/echo', ['Content-Type' => 'text/plain'], 'raw body');
            $b = json_decode($r['body'], true);
            echo "$label: PUT /echo {$b['method']} {$b['content_type']} {$b['content']}\n";
            $r = tide_fw_req($c, 'HEAD', '/hello');
            echo "$label: HEAD /hello {$r['status']} body '{$r['body']}'\n";
            $r = tide_fw_req($c, 'GET', '/file');
            echo "$label: GET /file {$r['status']} {$r['headers']['content-length']} ", json_encode($r['body']), "\n";
            $r = tide_fw_req($c, 'GET', '/file', ['Range' => 'bytes=6-9']);
            echo "$label: GET /file bytes=6-9 {$r['status']} {$r['headers']['content-range']} {$r['body']}\n";
            $boundary = 'XyZ';
            $mp = "--$boundary\r\nContent-Disposition: form-data; name=\"k\"\r\n\r\nv\r\n"
                . "--$boundary\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nfile body\r\n"
                . "--$boundary--\r\n";
            $r = tide_fw_req($c, 'POST', '/upload', ['Content-Type' => "multipart/form-data; boundary=$boundary"], $mp);
            echo "$label: POST /upload {$r['status']} {$r['body']}\n";
            $r = tide_fw_req($c, 'GET', '/missing');
            echo "$label: GET /missing {$r['status']}\n";
            fclose($c);

            echo "$label: worker starts ", substr_count($srv->out(), ') ready on http://'),
                 ", streamed output on stdout: ", str_contains($srv->out(), 'one two') ? 'yes' : 'no', "\n";
            echo "$label: stopped with status ", $srv->stop(), "\n";
        }
    }
} finally {
    tide_fw_rmdir($var);
}
?>
--EXPECT--
process/script: GET /hello [200,"text/plain; charset=utf-8","42","Hello, Tide!"]
process/script: POST /form [200,{"post":{"a":"1","b":["2","3"]}}]
process/script: POST /json [201,{"x":[1,2],"y":"z"}]
process/script: GET /cookies [200,{"cookies":{"c":"1","d":"two words"}},["a=1; path=/; httponly; samesite=lax","b=two%20words; path=/sub; httponly; samesite=lax"]]
process/script: GET /stream [200,"chunked","one two three"]
process/script: GET /boom [500,"error page"]
process/script: after the 500 {"same worker":true,"boots":1,"requests counted on":true}
process/script: state set [null,"secret"]
process/script: state next request {"same worker":true,"before":null,"now":null}
process/script: 200 requests over 20 connections 200 answered right
process/script: workers seen 2
process/script: boots per worker [1]
process/script: a worker counted 2+ /boot requests with one boot true
process/script: GET /echo {"method":"GET","uri":"\/echo?a=1\u0026b[]=x","path":"\/echo","query":{"a":"1","b":["x"]},"host":"127.0.0.1","client_ip":"127.0.0.1","ua":"fw-test","x_multi":"yes","content_type":null,"content":"","secure":false}
process/script: PUT /echo PUT text/plain raw body
process/script: HEAD /hello 200 body ''
process/script: GET /file 200 19 "Hello from a file.\n"
process/script: GET /file bytes=6-9 206 bytes 6-9/19 from
process/script: POST /upload 200 {"files":{"f":{"client_name":"a.txt","valid":true,"size":9,"content":"file body"}},"post":{"k":"v"}}
process/script: GET /missing 404
process/script: worker starts 2, streamed output on stdout: no
process/script: stopped with status 0
process/runtime: GET /hello [200,"text/plain; charset=utf-8","42","Hello, Tide!"]
process/runtime: POST /form [200,{"post":{"a":"1","b":["2","3"]}}]
process/runtime: POST /json [201,{"x":[1,2],"y":"z"}]
process/runtime: GET /cookies [200,{"cookies":{"c":"1","d":"two words"}},["a=1; path=/; httponly; samesite=lax","b=two%20words; path=/sub; httponly; samesite=lax"]]
process/runtime: GET /stream [200,"chunked","one two three"]
process/runtime: GET /boom [500,"error page"]
process/runtime: after the 500 {"same worker":true,"boots":1,"requests counted on":true}
process/runtime: state set [null,"secret"]
process/runtime: state next request {"same worker":true,"before":null,"now":null}
process/runtime: 200 requests over 20 connections 200 answered right
process/runtime: workers seen 2
process/runtime: boots per worker [1]
process/runtime: a worker counted 2+ /boot requests with one boot true
process/runtime: GET /echo {"method":"GET","uri":"\/echo?a=1\u0026b[]=x","path":"\/echo","query":{"a":"1","b":["x"]},"host":"127.0.0.1","client_ip":"127.0.0.1","ua":"fw-test","x_multi":"yes","content_type":null,"content":"","secure":false}
process/runtime: PUT /echo PUT text/plain raw body
process/runtime: HEAD /hello 200 body ''
process/runtime: GET /file 200 19 "Hello from a file.\n"
process/runtime: GET /file bytes=6-9 206 bytes 6-9/19 from
process/runtime: POST /upload 200 {"files":{"f":{"client_name":"a.txt","valid":true,"size":9,"content":"file body"}},"post":{"k":"v"}}
process/runtime: GET /missing 404
process/runtime: worker starts 2, streamed output on stdout: no
process/runtime: stopped with status 0
base/script: GET /hello [200,"text/plain; charset=utf-8","42","Hello, Tide!"]
base/script: POST /form [200,{"post":{"a":"1","b":["2","3"]}}]
base/script: POST /json [201,{"x":[1,2],"y":"z"}]
base/script: GET /cookies [200,{"cookies":{"c":"1","d":"two words"}},["a=1; path=/; httponly; samesite=lax","b=two%20words; path=/sub; httponly; samesite=lax"]]
base/script: GET /stream [200,"chunked","one two three"]
base/script: GET /boom [500,"error page"]
base/script: after the 500 {"same worker":true,"boots":1,"requests counted on":true}
base/script: state set [null,"secret"]
base/script: state next request {"same worker":true,"before":null,"now":null}
base/script: 200 requests over 20 connections 200 answered right
base/script: workers seen 2
base/script: boots per worker [1]
base/script: a worker counted 2+ /boot requests with one boot true
base/script: GET /echo {"method":"GET","uri":"\/echo?a=1\u0026b[]=x","path":"\/echo","query":{"a":"1","b":["x"]},"host":"127.0.0.1","client_ip":"127.0.0.1","ua":"fw-test","x_multi":"yes","content_type":null,"content":"","secure":false}
base/script: PUT /echo PUT text/plain raw body
base/script: HEAD /hello 200 body ''
base/script: GET /file 200 19 "Hello from a file.\n"
base/script: GET /file bytes=6-9 206 bytes 6-9/19 from
base/script: POST /upload 200 {"files":{"f":{"client_name":"a.txt","valid":true,"size":9,"content":"file body"}},"post":{"k":"v"}}
base/script: GET /missing 404
base/script: worker starts 2, streamed output on stdout: no
base/script: stopped with status 0
