--TEST--
A child forked (pcntl_fork()) inside a coroutine goes on in its copy of the coroutine: hooked calls there are stock PHP (usleep() blocks the child only, its output and exit status are its own), and a call that must suspend (Coroutine::sleep(), Channel::pop()) throws a Tide\Exception saying why instead of never returning; the parent's coroutines are untouched
--SKIPIF--
<?php if (!function_exists('pcntl_fork')) die('skip pcntl_fork() is not available (ext/pcntl)'); ?>
--FILE--
<?php
[$r, $w] = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, 0);
Tide\run(function () use ($r, $w) {
    $other = Tide\go(function () { Tide\Coroutine::sleep(0.01); });
    $ch = new Tide\Coroutine\Channel(1);
    $pid = pcntl_fork();
    if ($pid === 0) {
        fclose($r);
        usleep(1000);                              // stock: blocks this child only
        fwrite($w, "child after usleep\n");
        foreach ([fn() => Tide\Coroutine::sleep(0.001), fn() => $ch->pop()] as $f) {
            try { $f(); } catch (Tide\Exception $e) { fwrite($w, $e->getMessage() . "\n"); }
        }
        fclose($w);
        exit(7);
    }
    fclose($w);
    echo stream_get_contents($r);                   // hooked: waits in this coroutine
    pcntl_waitpid($pid, $status);
    echo "child exit status ", pcntl_wexitstatus($status), "\n";
    var_dump(Tide\Coroutine::join([$other], 5));   // the parent's coroutines go on
});
?>
--EXPECTF--
child after usleep
Tide\Coroutine::sleep() cannot suspend: this process was forked inside coroutine #1, whose scheduler is its parent's (fork outside coroutines, or use Tide\Process)
Tide\Coroutine\Channel::pop() cannot suspend: this process was forked inside coroutine #1, whose scheduler is its parent's (fork outside coroutines, or use Tide\Process)
child exit status 7
bool(true)
