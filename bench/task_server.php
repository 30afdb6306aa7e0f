<?php
/*
 * The server of bench/task.php: php -d extension=tide.so bench/task_server.php MODE PORT HTTP_PORT
 * One worker, two task workers that echo what they get. A line "rtt N SIZE" on PORT runs N
 * taskwait() round trips of SIZE bytes one after the other and answers the seconds they
 * took; "co N" runs N taskCo() fan-outs of 100 tasks of 1 KiB. HTTP_PORT answers every
 * request with one taskwait() (path /task) or without one (any other path).
 */
$mode = ($argv[1] ?? 'process') === 'base' ? Tide\MODE_BASE : Tide\MODE_PROCESS;
$s = new Tide\Http\Server('127.0.0.1', (int) $argv[3], $mode);
$s->set(['worker_num' => 1, 'task_worker_num' => 2, 'log_level' => 4,
         'package_max_length' => 4 << 20]);
$raw = $s->listen('127.0.0.1', (int) $argv[2], Tide\SOCK_TCP);
$raw->set(['open_eof_split' => true, 'package_eof' => "\n"]);
$s->on('workerStart', function ($s, $id) {
    if (!$s->taskworker) {
        echo "READY\n";
    }
});
$s->on('task', fn($s, $id, $src, $data) => $data);
$s->on('request', function ($req, $res) use ($s) {
    if ($req->server['request_uri'] === '/task') {
        $res->end($s->taskwait('hello', 1.0));
    } else {
        $res->end('hello');
    }
});
$raw->on('receive', function ($s, $fd, $rid, $line) {
    $a = explode(' ', trim($line));
    $t = microtime(true);
    if ($a[0] === 'rtt') {
        $data = str_repeat('x', (int) $a[2]);
        for ($i = 0; $i < (int) $a[1]; $i++) {
            if ($s->taskwait($data, 5.0) !== $data) {
                $s->send($fd, "broken\n");
                return;
            }
        }
    } elseif ($a[0] === 'co') {
        $tasks = array_fill(0, 100, str_repeat('y', 1024));
        for ($i = 0; $i < (int) $a[1]; $i++) {
            if (count($s->taskCo($tasks, 5.0)) !== 100) {
                $s->send($fd, "broken\n");
                return;
            }
        }
    }
    $s->send($fd, (microtime(true) - $t) . "\n");
});
$s->start();
