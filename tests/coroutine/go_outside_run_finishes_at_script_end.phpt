--TEST--
Tide\go() outside Tide\run() runs the coroutine at once, and what it leaves suspended is finished when the script ends
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;

register_shutdown_function(function () {
    echo "first shutdown function\n";
});
$id = Tide\go(function () {
    echo "coroutine started, cid ", Coroutine::getCid(), ", pcid ", Coroutine::getPcid(), "\n";
    Coroutine::sleep(0.02);
    echo "coroutine resumed\n";
    Tide\go(function () {
        Coroutine::sleep(0.02);
        echo "grandchild done\n";
    });
});
var_dump($id);
echo "main script ends\n";
?>
--EXPECT--
coroutine started, cid 1, pcid -1
int(1)
main script ends
first shutdown function
coroutine resumed
grandchild done
