--TEST--
tide.swoole_compat=On, written as a Swoole user writes it: swoole_mime_type_add/set/delete/get/exists/list and swoole_get_mime_type (and a type added before start() is what the static handler sends), swoole_async_set() with Coroutine options, swoole_error_log()/swoole_error_log_ex() at a SWOOLE_LOG_* level (one line, cut at a newline), swoole_clear_dns_cache(), swoole_substr_unserialize() and swoole_substr_json_decode(), and their errors
--INI--
tide.swoole_compat=On
--FILE--
<?php
require __DIR__ . '/../inc/http.inc';

var_dump(swoole_mime_type_get('a/b/index.HTML'), swoole_get_mime_type('x.png'), swoole_mime_type_get('noext'));
var_dump(swoole_mime_type_exists('x.css'), swoole_mime_type_exists('x.tide'));
var_dump(swoole_mime_type_add('tide', 'application/x-tide'), swoole_mime_type_get('y.TIDE'));
var_dump(@swoole_mime_type_add('tide', 'text/plain'));          // known: add refuses
swoole_mime_type_set('tide', 'text/x-tide');
var_dump(swoole_mime_type_get('y.tide'), swoole_mime_type_list()['tide'], count(swoole_mime_type_list()) > 80);
var_dump(swoole_mime_type_delete('gif'), swoole_mime_type_exists('a.gif'), @swoole_mime_type_delete('gif'));
try { swoole_mime_type_add('a.b', 'x/y'); } catch (ValueError $e) { echo $e->getMessage(), "\n"; }
try { swoole_mime_type_set('ok', "x/y\r\nSet-Cookie: a=1"); } catch (ValueError $e) { echo "header injection refused\n"; }

/* What the static handler sends, in a server forked after the types were set. */
$dir = sys_get_temp_dir() . '/tide-mime-' . getmypid();
@mkdir($dir);
file_put_contents("$dir/f.tide", 'hi');
$srv = new TideServerProc(<<<PHP
    \$s = new Swoole\Http\Server('127.0.0.1', 0, SWOOLE_BASE);
    swoole_mime_type_set('tide', 'text/x-tide');
    \$s->set(['worker_num' => 1, 'document_root' => '$dir', 'enable_static_handler' => true]);
    \$s->on('workerStart', fn(\$s, \$id) => tide_test_ready(\$s));
    \$s->on('request', fn(\$req, \$res) => \$res->end('dynamic'));
    \$s->start();
PHP, SWOOLE_BASE, php: ['-d', 'tide.swoole_compat=On']);
$srv->waitReady(1);
$r = tide_http($srv->port, "GET /f.tide HTTP/1.1\r\nHost: x\r\n\r\n");
echo "static: {$r['headers']['content-type']} {$r['body']}\n";
$srv->stop();
unlink("$dir/f.tide");
rmdir($dir);

var_dump(swoole_async_set(['enable_coroutine' => true, 'socket_timeout' => 7, 'aio_worker_num' => 2]), ini_get('default_socket_timeout'));
swoole_error_log(SWOOLE_LOG_WARNING, "disk almost full\nsecond line");
swoole_error_log_ex(SWOOLE_LOG_ERROR, 1234, 'it broke');
swoole_error_log(SWOOLE_LOG_DEBUG, 'below the level: not shown');
try { swoole_error_log(9, 'x'); } catch (ValueError $e) { echo $e->getMessage(), "\n"; }
swoole_clear_dns_cache();
$s = 'HEAD' . serialize(['a' => 1]) . 'TAIL';
var_dump(swoole_substr_unserialize($s, 4, strlen($s) - 8));
var_dump(swoole_substr_json_decode('xx{"k":[1,2]}', 2, 0, true));
try { swoole_substr_json_decode('abc', 5); } catch (ValueError $e) { echo $e->getMessage(), "\n"; }
?>
--EXPECTF--
string(24) "text/html; charset=utf-8"
string(9) "image/png"
string(24) "application/octet-stream"
bool(true)
bool(false)
bool(true)
string(18) "application/x-tide"
bool(false)
string(11) "text/x-tide"
string(11) "text/x-tide"
bool(true)
bool(true)
bool(false)
bool(false)
swoole_mime_type_add(): the extension must be 1 to 15 bytes without dots, slashes or spaces, the type 1 to 255 bytes without control characters
header injection refused
static: text/x-tide hi
bool(true)
string(1) "7"
[tide] disk almost full
[tide] it broke (error 1234)
swoole_error_log(): Argument #1 ($level) must be a SWOOLE_LOG_* level from SWOOLE_LOG_DEBUG to SWOOLE_LOG_ERROR
array(1) {
  ["a"]=>
  int(1)
}
array(1) {
  ["k"]=>
  array(2) {
    [0]=>
    int(1)
    [1]=>
    int(2)
  }
}
swoole_substr_json_decode(): Argument #2 ($offset) must be between 0 and the length of argument #1 (3)
