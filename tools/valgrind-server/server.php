<?php
/* A server that exercises most of Tide\Server under valgrind (tools/valgrind-server.sh): length
 * framing, a UDP port, pipe messages, sendfile, an uncaught exception, close, timers,
 * max_request so that workers exit (and are checked for leaks) every 300 requests, and
 * small back-pressure bounds so that connections are held and let go again. */
$mode = $argv[1] === 'base' ? Tide\MODE_BASE : Tide\MODE_PROCESS;
$s = new Tide\Server('127.0.0.1', (int)$argv[2], $mode);
/* Recycling needs SIGCHLD in the manager: see tools/valgrind-server.sh for io_uring. */
$maxRequest = getenv('TIDE_VG_MAX_REQUEST') !== false ? (int) getenv('TIDE_VG_MAX_REQUEST') : 300;
$s->set(['worker_num' => 2, 'max_request' => $maxRequest, 'open_length_check' => true, 'package_length_type' => 'N', 'package_body_offset' => 4,
         'connection_max_inflight' => 4, 'worker_max_inflight' => 16, 'task_worker_num' => 1]);
/* Tasks: taskwait, a task with its own callback, taskCo, a result that comes too late. */
$s->on('task', function ($s, $id, $src, $data) {
    if ($data === 'slow') { usleep(30000); return 'late'; }
    return is_array($data) ? $data + ['seen' => true] : strtoupper($data);
});
$s->on('finish', function ($s, $id, $data) {});
$p = $s->listen('127.0.0.1', (int)$argv[2] + 1, Tide\SOCK_UDP);
$s->on('workerStart', function ($s, $id) { echo "READY $id\n"; Tide\Timer::tick(50, fn() => null); });
$s->on('connect', function ($s, $fd) { $s->getClientInfo($fd); });
$s->on('receive', function ($s, $fd, $rid, $data) {
    $body = substr($data, 4);
    if ($body === 'pipe') { $s->sendMessage(['from' => $s->worker_id, 'fd' => $fd], 1 - $s->worker_id); return; }
    if ($body === 'file') { $s->sendfile($fd, __FILE__); return; }
    if ($body === 'throw') throw new RuntimeException('boom');
    if ($body === 'task') {
        $s->taskwait(['x' => str_repeat('t', 5000)], 1.0);
        $s->task('abc', -1, function ($s, $id, $d) {});
        $s->task('def');
        $s->taskCo(['a', 'b', 'slow'], 0.01);
    }
    Tide\Coroutine::sleep(0.001);
    $s->send($fd, pack('N', strlen($body)) . $body);
    if ($body === 'close') $s->close($fd);
});
$s->on('pipeMessage', function ($s, $src, $msg) { $s->send($msg['fd'], pack('N', 4) . 'pong'); });
$s->on('packet', function ($s, $data, $info) { $s->sendto($info['address'], $info['port'], $data, $info['server_socket']); });
$s->on('close', function ($s, $fd) {});
/* HTTP on a third port: every way a response ends (compressed, larger than the output
 * buffer, static files), bodies spooled to a file (forms, uploads), and the protocol's
 * refusals. */
$h = $s->listen('127.0.0.1', (int)$argv[2] + 2, Tide\SOCK_TCP);
$h->set(['open_http_protocol' => true, 'http_header_timeout' => 0.3, 'package_max_length' => 65536,
         'http_body_buffer_size' => 4096, /* bodies over it are spooled to a file */
         'http_max_header_size' => 4096, 'buffer_output_size' => 65536,
         'document_root' => __DIR__, 'enable_static_handler' => true]);
/* (No `use ($s)`: a closure kept by a port of $s that holds $s is a cycle PHP leaves for
 * the end, and valgrind reports what a cycle holds at the end as lost.) */
$h->on('request', function ($req, $res) {
    $req->header; $req->get; $req->post; $req->cookie; $req->getData();
    foreach ($req->files ?? [] as $f) {
        md5_file($f['tmp_name']);
    }
    switch ($req->server['request_uri']) {
    case '/noend': return;
    case '/throw': throw new LogicException('http boom');
    case '/chunks': $res->write('a'); $res->write(str_repeat('b', 5000)); $res->end('c'); return;
    case '/half': $res->write('a'); return;
    case '/file': $res->sendfile(__FILE__); return;
    case '/gz': $res->end(str_repeat('compress me ', 1000)); return;
    case '/gzchunks': $res->write(str_repeat('a', 3000)); $res->write('b'); $res->end(str_repeat('c', 100)); return;
    case '/big': $res->end(str_repeat('y', 300000)); return; /* past buffer_output_size: waits */
    case '/later':
        $res->detach();
        $fd = $res->fd;
        Tide\Timer::after(5, function () use ($fd) { Tide\Http\Response::create($fd)?->end('late'); });
        return;
    }
    $res->status(201);
    $res->header('X-A', ['1', '2']);
    $res->cookie('c', 'v', time() + 10, '/', '', false, true, 'Lax');
    $res->end($req->getContent());
});
$s->start();
