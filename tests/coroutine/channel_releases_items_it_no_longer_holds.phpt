--TEST--
Tide\Coroutine\Channel keeps exactly one reference per buffered item: an item is destroyed once popped and dropped, when the channel is destroyed with items left, or when a push of it fails
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;
use Tide\Coroutine\Channel;

class Item
{
    public ?Channel $ch = null;
    public function __construct(public string $name) {}
    public function __destruct() { echo "destroyed {$this->name}\n"; }
}

Tide\run(function () {
    $ch = new Channel(2);
    $ch->push(new Item('popped'));
    $v = $ch->pop();
    echo "holding it\n";
    unset($v);
    echo "dropped it\n";

    $ch->push(new Item('left in channel 1'));
    $ch->push(new Item('left in channel 2'));
    echo "destroying the channel\n";
    unset($ch);
    echo "channel gone\n";

    /* A push that times out or fails on a closed channel does not keep the item. */
    $ch = new Channel(1);
    $ch->push(1);
    $ch->push(new Item('timed out'), 0.01);
    echo "push timed out\n";
    $ch->close();
    $ch->push(new Item('refused'));
    echo "push refused\n";

    /* A channel referring to itself through an item is collected as a cycle. */
    $c = new Channel(1);
    $o = new Item('in a cycle');
    $o->ch = $c;
    $c->push($o);
    unset($c, $o);
    $n = gc_collect_cycles();
    echo "collected: ", $n > 0 ? 'yes' : 'no', "\n";

    /* Handed to a waiting popper: the popper owns it. */
    $ch = new Channel(1);
    Tide\go(function () use ($ch) {
        $v = $ch->pop();
        echo "popper got {$v->name}\n";
    });
    $ch->push(new Item('handed over'));
    Coroutine::sleep(0.001);
    echo "end\n";
});
?>
--EXPECT--
holding it
destroyed popped
dropped it
destroying the channel
destroyed left in channel 1
destroyed left in channel 2
channel gone
destroyed timed out
push timed out
destroyed refused
push refused
destroyed in a cycle
collected: yes
popper got handed over
destroyed handed over
end
