--TEST--
Frameworks: examples/octane.php serves a Laravel 8 app (Debian's php-laravel-framework, no composer) booted once per worker, each request in a sandbox, in both modes
--SKIPIF--
<?php
require __DIR__ . '/fw.inc';
tide_fw_skipif([
    'php-laravel-framework' => '/usr/share/php/Illuminate/Foundation/Application.php',
]);
?>
--FILE--
<?php
require __DIR__ . '/fw.inc';

$runner = realpath(__DIR__ . '/../../examples/octane.php');
$app = realpath(__DIR__ . '/laravel-app');
$var = tide_fw_vardir();
$env = ['TIDE_PORT' => 0, 'TIDE_WORKER_NUM' => 2, 'APP_ENV' => 'production', 'APP_DEBUG' => 0, 'APP_VAR_DIR' => $var];
$code = "\$_SERVER['SCRIPT_FILENAME'] = '$runner';\n\$_SERVER['argv'] = ['$runner', '$app'];\nrequire '$runner';\n";
try {
    foreach (TIDE_MODES as $mode => $label) {
        [$srv, $port] = tide_fw_start($code, $mode, $env + ['TIDE_MODE' => $label]);
        tide_fw_common_checks($label, $port);

        $c = tide_connect($port);
        $r = tide_fw_req($c, 'GET', '/echo?a=1&b[]=x', ['User-Agent' => 'fw-test']);
        echo "$label: GET /echo ", $r['body'], "\n";
        $r = tide_fw_req($c, 'PUT', '/echo', ['Content-Type' => 'text/plain'], 'raw body');
        $b = json_decode($r['body'], true);
        echo "$label: PUT /echo {$b['method']} {$b['content']}\n";
        /* A binding made during a request is gone with its sandbox. */
        $r1 = json_decode(tide_fw_req($c, 'GET', '/state?set=x')['body'], true);
        $r2 = json_decode(tide_fw_req($c, 'GET', '/state')['body'], true);
        echo "$label: bound during the request: ", json_encode($r1['bound']), ", in the next: ", json_encode($r2['bound']), "\n";
        /* The documented trap: a singleton made at boot keeps the boot-time request. */
        $r = tide_fw_req($c, 'GET', '/trap');
        echo "$label: GET /trap {$r['body']}\n";
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
             ", streamed output on stdout: ", str_contains($srv->out(), 'one two') ? 'yes' : 'no',
             ", the 500 logged: ", str_contains($srv->err(), 'production.ERROR: boom from the app') ? 'yes' : 'no', "\n";
        echo "$label: stopped with status ", $srv->stop(), "\n";
    }
} finally {
    tide_fw_rmdir($var);
}
?>
--EXPECT--
process: GET /hello [200,"text/plain; charset=utf-8","42","Hello, Tide!"]
process: POST /form [200,{"post":{"a":"1","b":["2","3"]}}]
process: POST /json [201,{"x":[1,2],"y":"z"}]
process: GET /cookies [200,{"cookies":{"c":"1","d":"two words"}},["a=1; path=/; httponly; samesite=lax","b=two%20words; path=/sub; httponly; samesite=lax"]]
process: GET /stream [200,"chunked","one two three"]
process: GET /boom [500,"error page"]
process: after the 500 {"same worker":true,"boots":1,"requests counted on":true}
process: state set [null,"secret"]
process: state next request {"same worker":true,"before":null,"now":null}
process: 200 requests over 20 connections 200 answered right
process: workers seen 2
process: boots per worker [1]
process: a worker counted 2+ /boot requests with one boot true
process: GET /echo {"method":"GET","uri":"\/echo?a=1&b[]=x","path":"echo","query":{"a":"1","b":["x"]},"host":"127.0.0.1","ip":"127.0.0.1","ua":"fw-test","content":"","request_is_bound":true}
process: PUT /echo PUT raw body
process: bound during the request: true, in the next: false
process: GET /trap {"current":"trap","greeter_sees":"\/"}
process: POST /upload 200 {"name":"a.txt","valid":true,"content":"file body","k":"v"}
process: GET /missing 404
process: worker starts 2, streamed output on stdout: no, the 500 logged: yes
process: stopped with status 0
base: GET /hello [200,"text/plain; charset=utf-8","42","Hello, Tide!"]
base: POST /form [200,{"post":{"a":"1","b":["2","3"]}}]
base: POST /json [201,{"x":[1,2],"y":"z"}]
base: GET /cookies [200,{"cookies":{"c":"1","d":"two words"}},["a=1; path=/; httponly; samesite=lax","b=two%20words; path=/sub; httponly; samesite=lax"]]
base: GET /stream [200,"chunked","one two three"]
base: GET /boom [500,"error page"]
base: after the 500 {"same worker":true,"boots":1,"requests counted on":true}
base: state set [null,"secret"]
base: state next request {"same worker":true,"before":null,"now":null}
base: 200 requests over 20 connections 200 answered right
base: workers seen 2
base: boots per worker [1]
base: a worker counted 2+ /boot requests with one boot true
base: GET /echo {"method":"GET","uri":"\/echo?a=1&b[]=x","path":"echo","query":{"a":"1","b":["x"]},"host":"127.0.0.1","ip":"127.0.0.1","ua":"fw-test","content":"","request_is_bound":true}
base: PUT /echo PUT raw body
base: bound during the request: true, in the next: false
base: GET /trap {"current":"trap","greeter_sees":"\/"}
base: POST /upload 200 {"name":"a.txt","valid":true,"content":"file body","k":"v"}
base: GET /missing 404
base: worker starts 2, streamed output on stdout: no, the 500 logged: yes
base: stopped with status 0
