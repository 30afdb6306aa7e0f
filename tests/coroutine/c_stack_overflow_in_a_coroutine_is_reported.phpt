--TEST--
Tide\Coroutine: overflowing a coroutine's C stack (recursion through an internal callback, stack_size 32768, PHP's own stack check off) ends the process with status 255 and a message naming the coroutine and its stack size, not a bare segfault
--EXTENSIONS--
tide
--FILE--
<?php
require __DIR__ . '/../inc/child.inc';

$script = <<<'PHP'
use Tide\Coroutine;
Coroutine::set(['stack_size' => 32768]);
Tide\run(function () {
    Tide\go(function () {
        $f = function (int $n) use (&$f): int {
            return $n === 0 ? 0 : array_map($f, [$n - 1])[0] + 1;
        };
        echo "recursing in #", Coroutine::getCid(), "\n";
        echo $f(100000), "\n";
    });
});
echo "not reached\n";
PHP;
/* PHP >= 8.3 throws an Error before the guard page is reached (see
 * unbounded_recursion_in_a_coroutine_throws_php_stack_error.phpt); with its check off, the
 * guard page is what stops the recursion, as on 8.2. */
$off = PHP_VERSION_ID >= 80300 ? ['-d', 'zend.max_allowed_stack_size=-1'] : [];
$r = tide_child_php([...$off, '-r', $script], tide_child_env(['TIDE_REACTOR' => getenv('TIDE_REACTOR') ?: null]));
echo $r['stdout'];
echo "status {$r['status']}\n";
if (preg_match('/Tide: C stack overflow in coroutine #(\d+) \(its stack is 32768 bytes\)/', $r['stderr'] . $r['stdout'], $m)) {
    echo "reported for #$m[1]\n";
} else {
    tide_child_dump($r);
}
?>
--EXPECT--
recursing in #2
status 255
reported for #2
