--TEST--
tide.swoole_compat is Off by default: no Swoole class, function or constant exists, and the ini setting can be changed only at startup
--FILE--
<?php
var_dump(ini_get('tide.swoole_compat'), class_exists('Swoole\Server'), class_exists('Co'),
         function_exists('go'), function_exists('swoole_version'), defined('SWOOLE_BASE'));
var_dump(ini_set('tide.swoole_compat', '1'), ini_get('tide.swoole_compat'));
?>
--EXPECT--
string(1) "0"
bool(false)
bool(false)
bool(false)
bool(false)
bool(false)
bool(false)
string(1) "0"
