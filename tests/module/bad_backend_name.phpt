--TEST--
An unknown reactor backend name is refused: ini_set('tide.reactor_backend') returns false with a warning, and TIDE_REACTOR makes the first timer throw Tide\Exception
--EXTENSIONS--
tide
--FILE--
<?php
require __DIR__ . '/../inc/child.inc';

var_dump(ini_set('tide.reactor_backend', 'kqueue'));
var_dump(ini_get('tide.reactor_backend'));

$script = <<<'PHP'
try {
    Tide\Timer::after(10, function () { echo "timer fired\n"; });
    echo "no exception\n";
} catch (Tide\Exception $e) {
    echo get_class($e), ": ", $e->getMessage(), "\n";
}
try {
    Tide\run(function () { echo "fn ran\n"; });
} catch (Tide\Exception $e) {
    echo "Tide\\run: ", $e->getMessage(), "\n";
}
PHP;
$r = tide_child_php(['-r', $script], tide_child_env(['TIDE_REACTOR' => 'kqueue']));
echo $r['stdout'];
if ($r['status'] !== 0 || $r['stderr'] !== '') {
    tide_child_dump($r);
}
?>
--EXPECTF--
Warning: ini_set(): tide.reactor_backend must be auto, io_uring or epoll, "kqueue" given in %s on line %d
bool(false)
string(4) "auto"
Tide\Exception: TIDE_REACTOR must be auto, io_uring or epoll
Tide\run: TIDE_REACTOR must be auto, io_uring or epoll
