--TEST--
Server framing: invalid framing and connection settings are refused by set() and Port::set() with an error naming the setting, and leave the settings as they were
--FILE--
<?php
$s = new Tide\Server('127.0.0.1', 0, Tide\MODE_BASE);
$port = $s->listen('127.0.0.1', 0, Tide\SOCK_TCP);

/* Runs $fn; prints the exception's class and whether its message names every one of $names. */
function refused(string $what, callable $fn, string ...$names): void
{
    try {
        $r = $fn();
        echo "$what: NOT refused, returned ", var_export($r, true), "\n";
    } catch (Throwable $e) {
        $missing = array_filter($names, fn($n) => !str_contains($e->getMessage(), $n));
        echo "$what: ", get_class($e), $missing ? ' NOT naming ' . implode(', ', $missing) . ': ' . $e->getMessage() : '', "\n";
    }
}

foreach (['x', 'NN', '', 'Q', 'i', 'n ', 'H'] as $t) {
    refused("package_length_type " . json_encode($t), fn() => $s->set(['open_length_check' => true, 'package_length_type' => $t]), 'package_length_type');
}
refused('package_length_type 78', fn() => $s->set(['open_length_check' => true, 'package_length_type' => 78]), 'package_length_type');
refused('package_eof empty', fn() => $s->set(['open_eof_check' => true, 'package_eof' => '']), 'package_eof');
refused('package_eof 9 bytes', fn() => $s->set(['open_eof_split' => true, 'package_eof' => '123456789']), 'package_eof');
refused('package_eof array', fn() => $s->set(['open_eof_split' => true, 'package_eof' => ["\r\n"]]), 'package_eof');
refused('eof_check and length_check', fn() => $s->set(['open_eof_check' => true, 'open_length_check' => true]), 'open_eof_check', 'open_length_check');
refused('eof_split and length_check', fn() => $s->set(['open_eof_split' => true, 'open_length_check' => true]), 'open_eof_split', 'open_length_check');
refused('negative length offset', fn() => $s->set(['open_length_check' => true, 'package_length_offset' => -1]), 'package_length_offset');
refused('package_max_length 0', fn() => $s->set(['package_max_length' => 0]), 'package_max_length');
refused('package_max_length -5', fn() => $s->set(['package_max_length' => -5]), 'package_max_length');
refused('package_max_length "big"', fn() => $s->set(['package_max_length' => 'big']), 'package_max_length');
refused('max_connection 0', fn() => $s->set(['max_connection' => 0]), 'max_connection');
refused('buffer_output_size 0', fn() => $s->set(['buffer_output_size' => 0]), 'buffer_output_size');
refused('backlog 0', fn() => $s->set(['backlog' => 0]), 'backlog');
refused('heartbeat_idle_time -1', fn() => $s->set(['heartbeat_idle_time' => -1]), 'heartbeat_idle_time');
refused('heartbeat_check_interval array', fn() => $s->set(['heartbeat_check_interval' => []]), 'heartbeat_check_interval');
refused('unknown key', fn() => $s->set(['worker_num' => 1, 'package_eof_length' => 3]), 'package_eof_length');
refused('unknown key on a port', fn() => $port->set(['open_length_chek' => true]), 'open_length_chek');
refused('a key of a later version', fn() => $s->set(['open_http2_protocol' => true]), 'open_http2_protocol');
refused('a key of a later version on a port', fn() => $port->set(['open_fastcgi_protocol' => true]), 'open_fastcgi_protocol');
foreach (['worker_num', 'max_connection', 'heartbeat_check_interval', 'heartbeat_idle_time', 'dispatch_mode'] as $k) {
    refused("Port::set $k", fn() => $port->set([$k => 2]), $k);
}
refused('Port::set framing conflict', fn() => $port->set(['open_eof_split' => true, 'open_length_check' => true]), 'open_length_check');

/* Nothing of the refused calls stuck. */
echo 'server setting: ', json_encode($s->setting), "\n";
echo 'port setting: ', json_encode($port->setting), "\n";

/* What is valid is taken. */
var_dump($s->set(['worker_num' => 1, 'open_length_check' => true, 'package_length_type' => 'v',
    'package_length_offset' => 2, 'package_body_offset' => 4, 'package_max_length' => 4096,
    'backlog' => 16, 'max_connection' => 2, 'heartbeat_check_interval' => 1,
    'heartbeat_idle_time' => 3, 'buffer_output_size' => 65536]));
var_dump($port->set(['open_length_check' => false, 'open_eof_split' => true, 'package_eof' => '12345678', 'backlog' => 8]));
echo 'server setting: ', json_encode($s->setting), "\n";
echo 'port setting: ', json_encode($port->setting), "\n";
/* A port whose own settings conflict with what the server is given later. */
refused('server set turning eof_check on next to length_check', fn() => $s->set(['open_eof_check' => true]), 'open_eof_check');
?>
--EXPECT--
package_length_type "x": ValueError
package_length_type "NN": ValueError
package_length_type "": ValueError
package_length_type "Q": ValueError
package_length_type "i": ValueError
package_length_type "n ": ValueError
package_length_type "H": ValueError
package_length_type 78: ValueError
package_eof empty: ValueError
package_eof 9 bytes: ValueError
package_eof array: ValueError
eof_check and length_check: ValueError
eof_split and length_check: ValueError
negative length offset: ValueError
package_max_length 0: ValueError
package_max_length -5: ValueError
package_max_length "big": ValueError
max_connection 0: ValueError
buffer_output_size 0: ValueError
backlog 0: ValueError
heartbeat_idle_time -1: ValueError
heartbeat_check_interval array: ValueError
unknown key: ValueError
unknown key on a port: ValueError
a key of a later version: Tide\Exception
a key of a later version on a port: Tide\Exception
Port::set worker_num: ValueError
Port::set max_connection: ValueError
Port::set heartbeat_check_interval: ValueError
Port::set heartbeat_idle_time: ValueError
Port::set dispatch_mode: ValueError
Port::set framing conflict: ValueError
server setting: []
port setting: []
bool(true)
bool(true)
server setting: {"worker_num":1,"open_length_check":true,"package_length_type":"v","package_length_offset":2,"package_body_offset":4,"package_max_length":4096,"backlog":16,"max_connection":2,"heartbeat_check_interval":1,"heartbeat_idle_time":3,"buffer_output_size":65536}
port setting: {"worker_num":1,"open_length_check":false,"package_length_type":"v","package_length_offset":2,"package_body_offset":4,"package_max_length":4096,"backlog":8,"max_connection":2,"heartbeat_check_interval":1,"heartbeat_idle_time":3,"buffer_output_size":65536,"open_eof_split":true,"package_eof":"12345678"}
server set turning eof_check on next to length_check: ValueError
