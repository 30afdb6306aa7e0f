--TEST--
Server: sendfile() sends a whole file, a range, files larger than 1 MiB and than buffer_output_size intact, in order with send(); bad arguments
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

/* Reads from a stream keeping what came after what was asked for. */
final class Reader
{
    private string $buf = '';
    public function __construct(private $c) {}
    public function until(string $end, float $timeout = 30.0): string
    {
        $deadline = microtime(true) + $timeout;
        while (($p = strpos($this->buf, $end)) === false && microtime(true) < $deadline) {
            $r = @fread($this->c, 262144);
            if ($r === false || ($r === '' && feof($this->c))) break;
            $this->buf .= $r;
        }
        if ($p === false) {
            [$out, $this->buf] = [$this->buf, ''];
            return $out;
        }
        $out = substr($this->buf, 0, $p + strlen($end));
        $this->buf = substr($this->buf, $p + strlen($end));
        return $out;
    }
}

foreach (TIDE_MODES as $mode => $name) {
    $srv = new TideServerProc(<<<'PHP'
        function ready($s) { echo "READY {$s->ports[0]->port} {$s->worker_id} " . getmypid() . "\n"; }
        $s = new Tide\Server('127.0.0.1', 0, TIDE_TEST_MODE);
        $s->set(['worker_num' => 2, 'open_eof_split' => true, 'package_eof' => "\n"]);
        $s->on('workerStart', fn($s, $id) => ready($s));
        $s->on('receive', function ($s, $fd, $rid, $data) {
            $w = explode(' ', trim($data));
            if ($w[0] === 'file') {
                $s->send($fd, "BEGIN\n");
                try {
                    $r = json_encode($s->sendfile($fd, __DIR__ . '/' . $w[1], (int) ($w[2] ?? 0), (int) ($w[3] ?? 0)));
                } catch (Throwable $e) {
                    $r = get_class($e);
                }
                $s->send($fd, "\nEND $r\n");
            } elseif ($w[0] === 'fileclose') {
                /* The close waits for the file. */
                $s->sendfile($fd, __DIR__ . '/huge');
                $s->send($fd, "EOF\n");
                $s->close($fd);
            } elseif ($w[0] === 'nofd') {
                $s->send($fd, 'nofd ' . json_encode($s->sendfile(123456, __DIR__ . '/small')) . "\n");
            }
        });
        $s->start();
    PHP, $mode);
    $srv->waitReady(2);
    $dir = $srv->dir();
    $files = ['small' => 'hello, sendfile', 'empty' => '', 'big' => random_bytes(1536 * 1024),
              'huge' => random_bytes(5 * 1024 * 1024 + 3)];
    foreach ($files as $f => $content) file_put_contents("$dir/$f", $content);
    mkdir("$dir/adir");
    $c = tide_connect($srv->port, '127.0.0.1', 10);
    $rd = new Reader($c);
    $get = function (string $args) use ($c, $rd) {
        fwrite($c, "file $args\n");
        $begin = $rd->until("BEGIN\n");
        $body = $rd->until("\nEND ");
        $tail = $rd->until("\n");
        return [str_ends_with($body, "\nEND ") ? substr($body, 0, -5) : "<no END> $body", trim($tail)];
    };
    $check = function (string $what, array $r, string $want) use ($name) {
        echo "$name: $what: returned {$r[1]}, ", $r[0] === $want ? 'intact (' . strlen($want) . ' bytes)' : 'WRONG (' . strlen($r[0]) . ' of ' . strlen($want) . ' bytes)', "\n";
    };
    $check('small', $get('small'), 'hello, sendfile');
    $check('offset 7', $get('small 7'), 'sendfile');
    $check('offset 7 length 4', $get('small 7 4'), 'send');
    $check('length past the end', $get('small 10 100'), 'dfile');
    $check('offset = size', $get('small 15'), '');
    $check('empty file', $get('empty'), '');
    $check('1.5 MiB', $get('big'), $files['big']);
    $check('1.5 MiB range', $get('big 1000000 300000'), substr($files['big'], 1000000, 300000));
    $check('5 MiB', $get('huge'), $files['huge']);
    $check('5 MiB tail', $get('huge 3000000'), substr($files['huge'], 3000000));
    foreach (['small 16', 'small -1', 'small 0 -1', 'missing', 'adir'] as $bad) {
        $r = $get($bad);
        echo "$name: $bad: returned {$r[1]}, ", strlen($r[0]), " bytes\n";
    }
    fwrite($c, "nofd\n");
    echo "$name: ", trim($rd->until("\n")), "\n";
    $check('still works', $get('small'), 'hello, sendfile');
    $c2 = tide_connect($srv->port, '127.0.0.1', 10);
    fwrite($c2, "fileclose\n");
    $all = '';
    $deadline = microtime(true) + 30;
    while (!feof($c2) && microtime(true) < $deadline) $all .= (string) fread($c2, 262144);
    echo "$name: sendfile then close: ", $all === $files['huge'] . "EOF\n" ? 'all bytes, then the close' : 'WRONG (' . strlen($all) . ' bytes)', "\n";
    $srv->stop();
    rmdir("$dir/adir");
    echo preg_replace(['/^READY.*\n/m', '/^\n/m'], '', $srv->out() . $srv->err());
}
?>
--EXPECTF--
process: small: returned true, intact (15 bytes)
process: offset 7: returned true, intact (8 bytes)
process: offset 7 length 4: returned true, intact (4 bytes)
process: length past the end: returned true, intact (5 bytes)
process: offset = size: returned true, intact (0 bytes)
process: empty file: returned true, intact (0 bytes)
process: 1.5 MiB: returned true, intact (1572864 bytes)
process: 1.5 MiB range: returned true, intact (300000 bytes)
process: 5 MiB: returned true, intact (5242883 bytes)
process: 5 MiB tail: returned true, intact (2242883 bytes)
process: small 16: returned ValueError, 0 bytes
process: small -1: returned ValueError, 0 bytes
process: small 0 -1: returned ValueError, 0 bytes
process: missing: returned false, 0 bytes
process: adir: returned false, 0 bytes
process: nofd false
process: still works: returned true, intact (15 bytes)
process: sendfile then close: all bytes, then the close
Warning: Tide\Server::sendfile(): %s/missing: No such file or directory in %s on line %d
Warning: Tide\Server::sendfile(): %s/adir: %s in %s on line %d
Warning: Tide\Server::sendfile(): connection #123456 does not exist in %s on line %d
base: small: returned true, intact (15 bytes)
base: offset 7: returned true, intact (8 bytes)
base: offset 7 length 4: returned true, intact (4 bytes)
base: length past the end: returned true, intact (5 bytes)
base: offset = size: returned true, intact (0 bytes)
base: empty file: returned true, intact (0 bytes)
base: 1.5 MiB: returned true, intact (1572864 bytes)
base: 1.5 MiB range: returned true, intact (300000 bytes)
base: 5 MiB: returned true, intact (5242883 bytes)
base: 5 MiB tail: returned true, intact (2242883 bytes)
base: small 16: returned ValueError, 0 bytes
base: small -1: returned ValueError, 0 bytes
base: small 0 -1: returned ValueError, 0 bytes
base: missing: returned false, 0 bytes
base: adir: returned false, 0 bytes
base: nofd false
base: still works: returned true, intact (15 bytes)
base: sendfile then close: all bytes, then the close
Warning: Tide\Server::sendfile(): %s/missing: No such file or directory in %s on line %d
Warning: Tide\Server::sendfile(): %s/adir: %s in %s on line %d
Warning: Tide\Server::sendfile(): connection #123456 does not exist in %s on line %d
