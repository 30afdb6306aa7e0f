--TEST--
Tide\Timer accepts every kind of callable (after() callbacks get only the params) (closures with by-reference use, 'Class::method', [object, 'method'], __invoke objects, first-class callables, __call) and frees them after use
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Timer;

final class Target
{
    public array $log = [];

    public static array $staticLog = [];

    public static function onStatic(string $arg): void
    {
        self::$staticLog[] = "static $arg";
    }

    public function onMethod(string $arg): void
    {
        $this->log[] = "method $arg";
    }

    public function __invoke(string $arg): void
    {
        $this->log[] = "invoke $arg";
    }

    public function __call(string $name, array $args): void
    {
        $this->log[] = "__call $name {$args[0]}";
    }

    public static function __callStatic(string $name, array $args): void
    {
        self::$staticLog[] = "__callStatic $name {$args[0]}";
    }
}

function plain_function(string $arg): void
{
    Target::$staticLog[] = "function $arg";
}

function round_of_timers(): array
{
    $target = new Target();
    $counter = 0;
    $seen = [];
    $self = null;
    /* A closure that holds itself by reference: a cycle the timer must not keep alive. */
    $self = function (string $arg) use (&$self, &$counter, &$seen) {
        $counter++;
        $seen[] = "closure-ref $arg";
    };
    Tide\run(function () use ($target, $self, &$counter) {
        Timer::after(1, $self, 'a');
        Timer::after(2, 'Target::onStatic', 'b');
        Timer::after(3, [Target::class, 'onStatic'], 'c');
        Timer::after(4, [$target, 'onMethod'], 'd');
        Timer::after(5, $target, 'e');
        Timer::after(6, $target->onMethod(...), 'f');
        Timer::after(7, plain_function(...), 'g');
        Timer::after(8, 'plain_function', 'h');
        Timer::after(9, [$target, 'magic'], 'i');
        Timer::after(10, 'Target::magicStatic', 'j');
        Timer::tick(3, function (int $id) use (&$counter) {
            if (++$counter >= 4) {
                Timer::clear($id);
            }
        });
        /* A first-class callable of an internal function, called with the param alone. */
        Timer::after(11, strval(...), 'k');
    });
    $log = array_merge($seen, Target::$staticLog, $target->log);
    Target::$staticLog = [];
    sort($log);
    return [$counter, $log];
}

[$counter, $log] = round_of_timers();
echo "counter: $counter\n";
echo implode("\n", $log), "\n";

/* Repeat: memory use must come back to where it was once everything has fired. The
 * first rounds may grow the extension's tables; after them nothing may grow. */
for ($i = 0; $i < 5; $i++) {
    round_of_timers();
}
gc_collect_cycles();
$before = memory_get_usage();
for ($i = 0; $i < 50; $i++) {
    round_of_timers();
}
gc_collect_cycles();
$grown = memory_get_usage() - $before;
echo $grown <= 4096 ? "no leak\n" : "memory grew by $grown bytes over 50 rounds\n";
?>
--EXPECT--
counter: 4
__call magic i
__callStatic magicStatic j
closure-ref a
function g
function h
invoke e
method d
method f
static b
static c
no leak
