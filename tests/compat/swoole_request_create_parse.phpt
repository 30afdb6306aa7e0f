--TEST--
tide.swoole_compat=On: Swoole\Http\Request::create() and parse()/isCompleted() as Swoole's documentation uses them (a head fed in two parts, parse_cookie off); a request fed byte by byte; a POST body parsed and the bytes of a pipelined next request not taken; a malformed request, a request without Host, a body over package_max_length and a head that never ends (memory stays near idle) give false; an unknown option is a ValueError; parse() on a request that create() did not make warns
--INI--
tide.swoole_compat=On
--EXTENSIONS--
tide
--FILE--
<?php
use Swoole\Http\Request;

$data = "GET /something?hello=world&test=2123 HTTP/1.1\r\n";
$data .= "Host: 127.0.0.1\r\n";
$data .= "Connection: keep-alive\r\n";
$data .= "Cookie: a=1\r\n";
$data .= "Accept-Encoding: gzip, deflate, br\r\n";

$request = Request::create(['parse_cookie' => false]);
var_dump(get_class($request), $request->isCompleted());
var_dump($request->parse($data) === strlen($data));
var_dump($request->parse("\r\n"));
var_dump($request->isCompleted(), $request->getMethod(), $request->server['request_uri'], $request->get,
         $request->header['host'], $request->cookie);

$r = Request::create();
$n = 0;
foreach (str_split("GET /a?b=c HTTP/1.1\r\nHost: x\r\nCookie: k=v\r\n\r\n") as $byte) {
    $n += $r->parse($byte);
}
echo "byte by byte: $n bytes, completed ", var_export($r->isCompleted(), true), ', cookie ', json_encode($r->cookie), "\n";

$post = "POST /form HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
      . "Content-Length: 7\r\n\r\nx=1&y=2";
$r = Request::create();
$n = $r->parse($post . "GET /next HTTP/1.1\r\nHost: x\r\n\r\n");
echo 'POST: took ', $n === strlen($post) ? 'its own bytes only' : $n, ', post ', json_encode($r->post),
    ', content ', $r->getContent(), ', then parse() takes ', $r->parse('more'), "\n";

$chunked = "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
$r = Request::create();
$n = $r->parse(substr($chunked, 0, 20));
$n += $r->parse(substr($chunked, 20) . "GET /next HTTP/1.1\r\nHost: x\r\n\r\n");
echo 'chunked, in two parts: took ', $n === strlen($chunked) ? 'its own bytes only' : $n, ', content ', $r->getContent(), "\n";

foreach (['not HTTP' => "NOT HTTP\r\n\r\n", 'no Host' => "GET / HTTP/1.1\r\n\r\n"] as $what => $bytes) {
    $r = Request::create();
    echo "$what: ", var_export($r->parse($bytes), true), ', completed ', var_export($r->isCompleted(), true),
        ', and after: ', var_export($r->parse("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), true), "\n";
}
$r = Request::create(['package_max_length' => '1K']);
echo 'a body over package_max_length: ', var_export($r->parse("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2048\r\n\r\n"), true), "\n";

$idle = memory_get_usage();
$r = Request::create();
$line = str_repeat('x', 1000) . ": y\r\n";
$answers = [];
for ($i = 0; $i < 10000; $i++) {
    $a = $r->parse($i ? $line : "GET / HTTP/1.1\r\n");
    $answers[var_export($a, true)] = true;
    if ($a === false) {
        break;
    }
}
echo 'a head that never ends: false after ', $i, ' lines (http_max_header_size 16K); memory near idle: ',
    var_export(memory_get_usage() - $idle < 256 * 1024, true), "\n";

try {
    Request::create(['no_such_option' => 1]);
} catch (ValueError $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
$made = (new ReflectionClass(Request::class))->newInstanceWithoutConstructor();
var_dump($made->parse("GET / HTTP/1.1\r\n\r\n"));
?>
--EXPECTF--
string(19) "Swoole\Http\Request"
bool(false)
bool(true)
int(2)
bool(true)
string(3) "GET"
string(10) "/something"
array(2) {
  ["hello"]=>
  string(5) "world"
  ["test"]=>
  string(4) "2123"
}
string(9) "127.0.0.1"
NULL
byte by byte: 45 bytes, completed true, cookie {"k":"v"}
POST: took its own bytes only, post {"x":"1","y":"2"}, content x=1&y=2, then parse() takes 0
chunked, in two parts: took its own bytes only, content abc
not HTTP: false, completed false, and after: false
no Host: false, completed false, and after: false
a body over package_max_length: false
a head that never ends: false after 17 lines (http_max_header_size 16K); memory near idle: true
ValueError: Swoole\Http\Request::create(): Argument #1 ($options) has an unknown option "no_such_option" (it takes parse_cookie, parse_body, parse_files, package_max_length, upload_max_filesize, http_max_header_size, enable_compression, compression_level)

Warning: Swoole\Http\Request::parse(): only a request made by create() can be parsed in %s on line %d
bool(false)
