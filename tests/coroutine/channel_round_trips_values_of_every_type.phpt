--TEST--
Tide\Coroutine\Channel passes values of every PHP type unchanged: null, bool, int, float, string, array, object, enum, closure and resource, buffered or handed to a waiting popper
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;
use Tide\Coroutine\Channel;

enum Suit: string { case Hearts = 'H'; }

$fp = fopen('php://memory', 'r');
$values = [
    'null' => null,
    'false' => false,
    'true' => true,
    'int' => PHP_INT_MAX,
    'negative int' => -7,
    'float' => 1.5,
    'NAN' => NAN,
    'empty string' => '',
    'string' => str_repeat("bin\0ary", 1000),
    'interned string' => 'hello',
    'array' => ['a' => 1, 'nested' => [1, 2, [3]], 5 => 'x'],
    'empty array' => [],
    'object' => (object) ['p' => 1],
    'enum' => Suit::Hearts,
    'closure' => fn (int $x) => $x * 2,
    'resource' => $fp,
];

function same(mixed $a, mixed $b): bool
{
    if (is_float($a) && is_nan($a)) {
        return is_float($b) && is_nan($b);
    }
    return is_object($a) || is_resource($a) ? $a === $b : $a === $b && gettype($a) === gettype($b);
}

Tide\run(function () use ($values) {
    /* Through the buffer. */
    $ch = new Channel(count($values));
    foreach ($values as $v) {
        $ch->push($v);
    }
    foreach ($values as $name => $v) {
        $got = $ch->pop();
        echo "buffered $name: ", same($v, $got) ? 'same' : 'DIFFERENT', "\n";
    }

    /* Handed over directly to a popper waiting on an empty channel. */
    $ch = new Channel(1);
    Tide\go(function () use ($ch, $values) {
        foreach ($values as $name => $v) {
            $got = $ch->pop();
            echo "handed $name: ", same($v, $got) ? 'same' : 'DIFFERENT', "\n";
        }
    });
    foreach ($values as $v) {
        $ch->push($v);
    }
    Coroutine::sleep(0.01);
    $f = $values['closure'];
    $ch2 = new Channel(1);
    $ch2->push($f);
    var_dump($ch2->pop()(21));
});
?>
--EXPECT--
buffered null: same
buffered false: same
buffered true: same
buffered int: same
buffered negative int: same
buffered float: same
buffered NAN: same
buffered empty string: same
buffered string: same
buffered interned string: same
buffered array: same
buffered empty array: same
buffered object: same
buffered enum: same
buffered closure: same
buffered resource: same
handed null: same
handed false: same
handed true: same
handed int: same
handed negative int: same
handed float: same
handed NAN: same
handed empty string: same
handed string: same
handed interned string: same
handed array: same
handed empty array: same
handed object: same
handed enum: same
handed closure: same
handed resource: same
int(42)
