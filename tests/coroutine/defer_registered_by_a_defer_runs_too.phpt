--TEST--
Tide\Coroutine::defer() called from a running defer adds one that runs after the current list (the list being walked is not grown)
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;

Tide\run(function () {
    for ($i = 0; $i < 7; $i++) {
        Coroutine::defer(function () use ($i) { echo "defer $i\n"; });
    }
    Coroutine::defer(function () {
        echo "defer 7 adds two\n";
        for ($j = 0; $j < 2; $j++) {
            Coroutine::defer(function () use ($j) { echo "added $j\n"; });
        }
    });
});
?>
--EXPECT--
defer 7 adds two
defer 6
defer 5
defer 4
defer 3
defer 2
defer 1
defer 0
added 1
added 0
