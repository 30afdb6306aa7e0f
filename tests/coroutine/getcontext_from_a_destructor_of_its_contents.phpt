--TEST--
Tide\Coroutine::getContext() called by a destructor while the coroutine's context is being freed returns a fresh context, not the one being freed
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;

class D {
    function __destruct() { $GLOBALS['keep'] = Coroutine::getContext(); echo "dtor\n"; }
}
Tide\run(function () {
    Coroutine::getContext()['d'] = new D;
});
var_dump(count($GLOBALS['keep']));
?>
--EXPECT--
dtor
int(0)
