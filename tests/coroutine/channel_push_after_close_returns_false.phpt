--TEST--
Tide\Coroutine\Channel::push() on a closed channel returns false at once with errCode -2, and the item is not kept
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine\Channel;

class Item
{
    public function __destruct() { echo "item destroyed\n"; }
}

$ch = new Channel(4);
$ch->close();
var_dump($ch->push(new Item));
var_dump($ch->errCode, $ch->length());
Tide\run(function () use ($ch) {
    var_dump($ch->push('x'), $ch->errCode);
    var_dump($ch->push('x', 1), $ch->errCode);
});
var_dump($ch->stats()['closed'] ?? 'no closed key');
?>
--EXPECT--
item destroyed
bool(false)
int(-2)
int(0)
bool(false)
int(-2)
bool(false)
int(-2)
bool(true)
