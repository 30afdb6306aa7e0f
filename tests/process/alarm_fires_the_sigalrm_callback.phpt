--TEST--
Tide\Process::alarm() sets an interval timer whose SIGALRM runs the signal callback each time; alarm(0) stops it
--EXTENSIONS--
tide
--FILE--
<?php
use Tide\Coroutine;
use Tide\Coroutine\Channel;
use Tide\Process;

Tide\run(function () {
    $ch = new Channel(8);
    $n = 0;
    Process::signal(SIGALRM, function (int $signo) use ($ch, &$n) {
        if (++$n === 3) {
            Process::alarm(0);
        }
        $ch->push($signo);
    });
    var_dump(Process::alarm(20 * 1000)); // every 20 ms
    $t = microtime(true);
    for ($i = 0; $i < 3; $i++) {
        echo "SIGALRM: ", $ch->pop(5) === SIGALRM ? "yes" : "no", "\n";
    }
    echo "took at least 60 ms: ", microtime(true) - $t >= 0.05 ? "yes" : "no", "\n";
    var_dump($ch->pop(0.1)); // stopped
    Process::signal(SIGALRM, null);
});
?>
--EXPECT--
bool(true)
SIGALRM: yes
SIGALRM: yes
SIGALRM: yes
took at least 60 ms: yes
bool(false)
