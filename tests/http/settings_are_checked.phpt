--TEST--
HTTP settings are checked by set() and Port::set(): bounds and types of http_max_header_size, http_header_timeout, upload_max_filesize, upload_tmp_dir, http_body_buffer_size, the http_compression ones and the static file handler's, HTTP next to a framing setting, keys of later features; an Http\Server's ports speak HTTP unless a framing setting says otherwise
--FILE--
<?php
$s = new Tide\Http\Server('127.0.0.1', 0, Tide\MODE_BASE);
$try = function (string $what, callable $f) {
    try {
        $f();
        echo "$what: accepted\n";
    } catch (Throwable $e) {
        echo "$what: ", get_class($e), ": ", $e->getMessage(), "\n";
    }
};
$try('header size too small', fn() => $s->set(['http_max_header_size' => 100]));
$try('header size as a string that is no size', fn() => $s->set(['http_max_header_size' => 'big']));
$try('negative header timeout', fn() => $s->set(['http_header_timeout' => -1]));
$try('negative upload size', fn() => $s->set(['upload_max_filesize' => -1]));
$try('empty upload dir', fn() => $s->set(['upload_tmp_dir' => '']));
$try('upload dir missing', fn() => $s->set(['upload_tmp_dir' => '/nonexistent/dir']));
$try('negative body buffer', fn() => $s->set(['http_body_buffer_size' => -1]));
$try('HTTP next to eof framing', fn() => $s->set(['open_http_protocol' => true, 'open_eof_split' => true]));
$try('compression level 0', fn() => $s->set(['http_compression_level' => 0]));
$try('compression level 10', fn() => $s->set(['http_compression_level' => 10]));
$try('compression as a string', fn() => $s->set(['http_compression' => 'gzip']));
$try('negative compression min length', fn() => $s->set(['http_compression_min_length' => -1]));
$try('document_root missing', fn() => $s->set(['document_root' => '/nonexistent/dir']));
$try('document_root a file', fn() => $s->set(['document_root' => __FILE__]));
$try('static handler without a root', fn() => (new Tide\Http\Server('127.0.0.1', 0))->set(['enable_static_handler' => true]));
$try('locations not a list', fn() => $s->set(['static_handler_locations' => '/static']));
$try('a location without /', fn() => $s->set(['static_handler_locations' => ['static']]));
$try('too many locations', fn() => $s->set(['static_handler_locations' => array_map(fn($i) => "/l$i", range(1, 33))]));
$try('static files', fn() => $s->set(['document_root' => '/tmp', 'enable_static_handler' => true,
    'static_handler_locations' => ['/static', '/images/']]));
$try('valid ones', fn() => $s->set(['http_max_header_size' => 4096, 'http_header_timeout' => 0.5,
    'upload_max_filesize' => 0, 'upload_tmp_dir' => '/tmp', 'http_parse_post' => false,
    'http_body_buffer_size' => 65536]));
$raw = $s->listen('127.0.0.1', 0, Tide\SOCK_TCP);
$try('a port with its own framing', fn() => $raw->set(['open_eof_split' => true, 'package_eof' => "\n"]));
echo "settings kept: ", json_encode($s->setting), "\n";
?>
--EXPECTF--
header size too small: ValueError: Setting 'http_max_header_size' must be between 1024 and 1048576, 100 given
header size as a string that is no size: ValueError: Setting 'http_max_header_size': Invalid quantity "big": no valid leading digits, interpreting as "0" for backwards compatibility
negative header timeout: ValueError: Setting 'http_header_timeout' must be between 0 and 86400, -1 given
negative upload size: ValueError: Setting 'upload_max_filesize' must be between 0 and 1099511627776, -1 given
empty upload dir: ValueError: Setting 'upload_tmp_dir' must be a directory path of 1 to 1023 bytes
upload dir missing: ValueError: Setting 'upload_tmp_dir' must be an existing directory, '/nonexistent/dir' is not
negative body buffer: ValueError: Setting 'http_body_buffer_size' must be between 0 and 1099511627776, -1 given
HTTP next to eof framing: ValueError: Setting 'open_http_protocol' cannot be on with a framing setting ('open_eof_check', 'open_eof_split', 'open_length_check')
compression level 0: ValueError: Setting 'http_compression_level' must be between 1 and 9, 0 given
compression level 10: ValueError: Setting 'http_compression_level' must be between 1 and 9, 10 given
compression as a string: ValueError: Setting 'http_compression' must be a bool, string given
negative compression min length: ValueError: Setting 'http_compression_min_length' must be between 0 and 2147483647, -1 given
document_root missing: ValueError: Setting 'document_root' must be an existing directory, '/nonexistent/dir' is not
document_root a file: ValueError: Setting 'document_root' must be an existing directory, '%s' is not
static handler without a root: ValueError: Setting 'enable_static_handler' needs 'document_root'
locations not a list: ValueError: Setting 'static_handler_locations' must be an array, string given
a location without /: ValueError: Setting 'static_handler_locations' must be a list of paths that start with '/'
too many locations: ValueError: Setting 'static_handler_locations' holds at most 32 paths of 2048 bytes in all
static files: accepted
valid ones: accepted
a port with its own framing: accepted
settings kept: {"document_root":"\/tmp","enable_static_handler":true,"static_handler_locations":["\/static","\/images\/"],"http_max_header_size":4096,"http_header_timeout":0.5,"upload_max_filesize":0,"upload_tmp_dir":"\/tmp","http_parse_post":false,"http_body_buffer_size":65536}
