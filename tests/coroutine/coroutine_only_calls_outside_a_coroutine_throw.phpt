--TEST--
Tide\Coroutine::yield(), sleep(), defer(), isCanceled(), a blocking Channel pop/push and WaitGroup::wait() outside a coroutine throw a catchable Tide\Exception naming the call
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;
use Tide\Coroutine\Channel;
use Tide\Coroutine\WaitGroup;

$empty = new Channel(1);
$full = new Channel(1);
$full->push('x');
$wg = new WaitGroup(1);

$calls = [
    'yield' => fn () => Coroutine::yield(),
    'suspend' => fn () => Coroutine::suspend(),
    'sleep' => fn () => Coroutine::sleep(0.01),
    'defer' => fn () => Coroutine::defer(function () {}),
    'isCanceled' => fn () => Coroutine::isCanceled(),
    'pop' => fn () => $empty->pop(),
    'pop with timeout' => fn () => $empty->pop(0.5),
    'push' => fn () => $full->push('y'),
    'push with timeout' => fn () => $full->push('y', 0.5),
    'wait' => fn () => $wg->wait(),
    'wait with timeout' => fn () => $wg->wait(0.5),
];

function attempt(array $calls): void
{
    foreach ($calls as $name => $call) {
        try {
            $call();
            echo "$name: no exception\n";
        } catch (Tide\Exception $e) {
            echo "$name: ", $e->getMessage(), "\n";
        }
    }
}

attempt($calls);

/* The same from a Tide\run() that is over. */
Tide\run(function () {});
echo "-- after Tide\\run()\n";
attempt(['sleep' => $calls['sleep'], 'pop' => $calls['pop']]);

/* What need not wait works outside a coroutine. */
echo "-- no waiting needed\n";
var_dump($empty->push(1), $empty->pop(), $full->pop(0));
$wg->done();
var_dump($wg->wait());
?>
--EXPECT--
yield: Tide\Coroutine::yield() must be called inside a coroutine
suspend: Tide\Coroutine::yield() must be called inside a coroutine
sleep: Tide\Coroutine::sleep() must be called inside a coroutine
defer: Tide\Coroutine::defer() must be called inside a coroutine
isCanceled: Tide\Coroutine::isCanceled() must be called inside a coroutine
pop: Tide\Coroutine\Channel::pop() must be called inside a coroutine
pop with timeout: Tide\Coroutine\Channel::pop() must be called inside a coroutine
push: Tide\Coroutine\Channel::push() must be called inside a coroutine
push with timeout: Tide\Coroutine\Channel::push() must be called inside a coroutine
wait: Tide\Coroutine\WaitGroup::wait() must be called inside a coroutine
wait with timeout: Tide\Coroutine\WaitGroup::wait() must be called inside a coroutine
-- after Tide\run()
sleep: Tide\Coroutine::sleep() must be called inside a coroutine
pop: Tide\Coroutine\Channel::pop() must be called inside a coroutine
-- no waiting needed
bool(true)
int(1)
string(1) "x"
bool(true)
