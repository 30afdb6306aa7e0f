--TEST--
Tide\Coroutine\Channel has PHP's assignment semantics: a pushed array (or string) is a copy, a pushed object the same instance, a reference is pushed as its value
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;
use Tide\Coroutine\Channel;

Tide\run(function () {
    $ch = new Channel(4);

    $arr = ['n' => 1];
    $ch->push($arr);
    $arr['n'] = 2;                 /* the pushed copy is not affected */
    $got = $ch->pop();
    $got['n'] = 3;                 /* nor is the sender's */
    var_dump($got['n'], $arr['n']);

    $obj = new stdClass;
    $obj->n = 1;
    $ch->push($obj);
    $obj->n = 2;
    $got = $ch->pop();
    var_dump($got === $obj, $got->n);
    $got->n = 3;
    var_dump($obj->n);

    $x = 10;
    $ref = &$x;
    $ch->push($ref);               /* the value, not the reference */
    $x = 11;
    $got = $ch->pop();
    $got++;
    var_dump($got, $x);

    /* An array holding a reference: PHP copies the array but shares the reference inside. */
    $inner = 'a';
    $holder = [&$inner];
    $ch->push($holder);
    $got = $ch->pop();
    $got[0] = 'b';
    var_dump($inner);

    /* Across coroutines: the receiver modifies its copy only. */
    $data = [1, 2, 3];
    Tide\go(function () use ($ch) {
        $d = $ch->pop();
        $d[] = 4;
        echo "receiver has ", count($d), "\n";
    });
    $ch->push($data);
    Coroutine::sleep(0.001);
    echo "sender has ", count($data), "\n";
});
?>
--EXPECT--
int(3)
int(2)
bool(true)
int(2)
int(3)
int(11)
int(11)
string(1) "b"
receiver has 4
sender has 3
