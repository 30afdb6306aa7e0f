--TEST--
Tide\Process can be extended as Swoole programs do: a subclass declares $pid again and properties of its own, and passes one of its methods as the callback
--EXTENSIONS--
tide
--FILE--
<?php
require __DIR__ . '/process.inc';

class Worker extends Tide\Process
{
    public $pid;
    public string $greeting = "hello";

    public function __construct()
    {
        parent::__construct([$this, 'run']);
    }

    public function run(): void
    {
        $this->write("{$this->greeting} from worker {$this->id}, pid ok: " . ($this->pid === getmypid() ? "yes" : "no"));
    }
}

$w = new Worker;
tide_proc_track($w->start());
$w->setTimeout(10);
echo $w->read(), "\n";
var_dump(Tide\Process::wait()['code'], $w instanceof Tide\Process);
?>
--EXPECT--
hello from worker 1, pid ok: yes
int(0)
bool(true)
