--TEST--
WebSocket against a real browser: headless chromium loads a page from the server's request handler, opens a WebSocket on the same port, negotiates permessage-deflate, gets a greeting pushed at open, sends text (non-ASCII), binary (ArrayBuffer) and a large compressible text, compressed (Frame flags has FLAG_COMPRESS), and checks the echoes pushed back with FLAG_COMPRESS and the clean close; the page reports what it saw to the server, in both modes
--SKIPIF--
<?php
require __DIR__ . '/../node/node.inc';
if (!tide_chromium()) die('skip needs chromium (apt-get install chromium; ./dev test installs it)');
?>
--FILE--
<?php
require __DIR__ . '/../node/node.inc';

const SERVER = <<<'PHP'
    use Tide\WebSocket as WS;
    $s = new Tide\WebSocket\Server('127.0.0.1', 0, TIDE_TEST_MODE);
    $s->set(['worker_num' => 2, 'websocket_compression' => true, 'package_max_length' => 8 << 20]);
    $s->on('workerStart', fn($s, $id) => tide_test_ready($s));
    $s->on('request', function (Tide\Http\Request $req, Tide\Http\Response $res) {
        switch ($req->server['request_uri']) {
        case '/':
            $res->header('Content-Type', 'text/html; charset=utf-8');
            $res->end(file_get_contents(getenv('PAGE')));
            return;
        case '/result':
            /* What the page saw, in one line (one write: lines of two workers never mix). */
            echo 'RESULT ' . str_replace("\n", ' ', $req->getContent()) . "\n";
            $res->end('ok');
            return;
        }
        $res->status(404);
        $res->end();
    });
    $s->on('open', function ($s, $req) {
        echo "OPEN {$req->server['request_uri']} offer=", $req->header['sec-websocket-extensions'] ?? '-', "\n";
        $s->push($req->fd, 'hello from tide ✓', WS\OPCODE_TEXT, WS\FLAG_FIN | WS\FLAG_COMPRESS);
    });
    $s->on('message', function ($s, WS\Frame $f) {
        echo "MSG op={$f->opcode} len=", strlen($f->data), " compressed=", $f->flags & WS\FLAG_COMPRESS ? 1 : 0, "\n";
        $s->push($f->fd, $f->data, $f->opcode, WS\FLAG_FIN | WS\FLAG_COMPRESS);
    });
    $s->start();
PHP;

/* The page: every check is made in the browser; the verdict goes to document.title, the
 * body, and to the server (POST /result), which is how this test reads it. */
const PAGE = <<<'HTML'
<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>running</title></head><body>running
<script>
const seen = [];
function report(verdict) {
    const r = verdict + ' | ' + seen.join(' | ');
    document.title = verdict;
    document.body.textContent = r;
    fetch('/result', {method: 'POST', body: r});
}
const big = 'Tide WebSocket, compressed by chromium; '.repeat(50000);   // 2,000,000 bytes
const bin = new Uint8Array(70000);
for (let i = 0; i < bin.length; i++) bin[i] = (i * 7 + (i >> 8)) & 255;
const same = (a, b) => {
    if (typeof a === 'string') return a === b;
    const x = new Uint8Array(a), y = new Uint8Array(b);
    return x.length === y.length && x.every((v, i) => v === y[i]);
};
const sends = ['héllo ✓ 😀 from chromium', bin.buffer, big];
let next = 0, failed = false;
const ws = new WebSocket('ws://' + location.host + '/ws');
ws.binaryType = 'arraybuffer';
const timer = setTimeout(() => report('FAIL timeout in the page'), 15000);
ws.onopen = () => seen.push('open extensions=' + ws.extensions);
ws.onmessage = (e) => {
    const n = typeof e.data === 'string' ? 'text ' + e.data.length : 'binary ' + e.data.byteLength;
    if (next === 0 && seen.length === 1) {
        seen.push('greeting ' + (e.data === 'hello from tide ✓' ? 'ok' : 'WRONG: ' + e.data));
    } else {
        const ok = same(sends[next - 1], e.data);
        failed ||= !ok;
        seen.push('echo ' + n + (ok ? ' ok' : ' WRONG'));
    }
    if (next < sends.length) {
        ws.send(sends[next++]);
    } else {
        ws.close(1000, 'done');
    }
};
ws.onerror = () => seen.push('error');
ws.onclose = (e) => {
    clearTimeout(timer);
    seen.push('close ' + e.code + (e.wasClean ? ' clean' : ' NOT CLEAN'));
    report(!failed && next === sends.length && e.wasClean && e.code === 1000 ? 'PASS' : 'FAIL');
};
</script></body></html>
HTML;

/* Kills $proc's whole tree by pid (chromium forks a zygote, renderers, a gpu process...). */
function kill_tree($proc): void
{
    if (!is_resource($proc)) {
        return;
    }
    $pid = proc_get_status($proc)['pid'];
    $tree = [$pid, ...TideServerProc::descendants($pid)];
    foreach ($tree as $p) {
        kill_pid($p);
    }
    proc_close($proc);
    foreach (TideServerProc::descendants($pid) as $p) {
        kill_pid($p);
    }
}

function kill_pid(int $pid): void
{
    exec('kill -s KILL ' . (int) $pid . ' 2>/dev/null');
}

function rm_tree(string $dir): void
{
    if (!is_dir($dir) || is_link($dir)) {
        @unlink($dir);
        return;
    }
    foreach (scandir($dir) as $f) {
        if ($f !== '.' && $f !== '..') {
            rm_tree("$dir/$f");
        }
    }
    @rmdir($dir);
}

$tmp = sys_get_temp_dir() . '/tide-chromium-' . getmypid();
@mkdir($tmp);
register_shutdown_function(fn() => rm_tree($tmp));
file_put_contents("$tmp/page.html", PAGE);

foreach (TIDE_MODES as $mode => $name) {
    echo "== $name\n";
    $srv = new TideServerProc(SERVER, $mode, ['PAGE' => "$tmp/page.html"]);
    register_shutdown_function(fn() => $srv->stop());
    $srv->waitReady(2);

    $profile = "$tmp/profile-$name";
    $argv = [tide_chromium(), '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
             '--no-first-run', '--no-default-browser-check', '--disable-extensions', '--disable-sync',
             '--disable-background-networking', '--disable-component-update', '--disable-features=Translate',
             '--user-data-dir=' . $profile, "http://127.0.0.1:{$srv->port}/"];
    $browser = proc_open($argv, [0 => ['file', '/dev/null', 'r'], 1 => ['file', "$tmp/chromium.out", 'w'],
                                 2 => ['file', "$tmp/chromium.err", 'w']], $pipes, $tmp, tide_child_env(['HOME' => $tmp]));
    register_shutdown_function(fn() => kill_tree($browser));

    if (!$srv->waitFor('RESULT ', 1, 25)) {
        echo "no result from the page\nchromium said:\n", @file_get_contents("$tmp/chromium.err"), "\nserver said:\n", $srv->out(), $srv->err();
    }
    kill_tree($browser);
    preg_match('/^RESULT (.*)$/m', $srv->out(), $m);
    echo 'page: ', str_replace(' | ', "\n  ", $m[1] ?? '-'), "\n";
    $lines = preg_grep('/^(OPEN|MSG) /', explode("\n", $srv->out()));
    echo 'server: ', implode("\n  ", $lines), "\n";
    $srv->stop();
    echo trim($srv->err()) === '' ? '' : "server stderr:\n" . $srv->err();
    rm_tree($profile);
}
?>
--EXPECT--
== process
page: PASS
  open extensions=permessage-deflate; server_no_context_takeover
  greeting ok
  echo text 24 ok
  echo binary 70000 ok
  echo text 2000000 ok
  close 1000 clean
server: OPEN /ws offer=permessage-deflate; client_max_window_bits
  MSG op=1 len=29 compressed=1
  MSG op=2 len=70000 compressed=1
  MSG op=1 len=2000000 compressed=1
== base
page: PASS
  open extensions=permessage-deflate; server_no_context_takeover
  greeting ok
  echo text 24 ok
  echo binary 70000 ok
  echo text 2000000 ok
  close 1000 clean
server: OPEN /ws offer=permessage-deflate; client_max_window_bits
  MSG op=1 len=29 compressed=1
  MSG op=2 len=70000 compressed=1
  MSG op=1 len=2000000 compressed=1