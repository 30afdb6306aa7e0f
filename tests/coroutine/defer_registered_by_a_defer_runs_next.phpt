--TEST--
Tide\Coroutine::defer() called from a running defer adds one that runs next, before the defers registered earlier: last in, first out throughout
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;

Tide\run(function () {
    for ($i = 0; $i < 3; $i++) {
        Coroutine::defer(function () use ($i) { echo "defer $i\n"; });
    }
    Coroutine::defer(function () {
        echo "defer 3 adds two\n";
        for ($j = 0; $j < 2; $j++) {
            Coroutine::defer(function () use ($j) {
                echo "added $j\n";
                if ($j === 0) {
                    Coroutine::defer(function () { echo "added by added 0\n"; });
                }
            });
        }
    });
});
?>
--EXPECT--
defer 3 adds two
added 1
added 0
added by added 0
defer 2
defer 1
defer 0
