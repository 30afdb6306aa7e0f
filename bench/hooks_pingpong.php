<?php
/*
 * Runtime hooks (issue 12): two coroutines bounce a 64-byte message over a hooked
 * stream_socket_pair() with fwrite()/fread(), against the C reactor's own ping-pong
 * (bench/reactor_pingpong.c: two recv callbacks over a socketpair) in the same run.
 *   php -n -d extension=modules/tide.so bench/hooks_pingpong.php [round trips]
 * Round trips per second and CPU per round trip, medians of 3; TIDE_REACTOR picks the
 * backend of the PHP rows (the C floor prints every backend).
 */
$n = (int) ($argv[1] ?? 200000);
$root = dirname(__DIR__);

function cpu(): float
{
    $r = getrusage();
    return $r['ru_utime.tv_sec'] + $r['ru_utime.tv_usec'] / 1e6 + $r['ru_stime.tv_sec'] + $r['ru_stime.tv_usec'] / 1e6;
}

function median(array $v): float
{
    sort($v);
    return $v[intdiv(count($v), 2)];
}

function pingpong(int $n): array
{
    [$a, $b] = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, STREAM_IPPROTO_IP);
    stream_set_read_buffer($a, 0);
    stream_set_read_buffer($b, 0);
    $msg = str_repeat('x', 64);
    $c = cpu();
    $t = hrtime(true);
    Tide\run(function () use ($a, $b, $msg, $n) {
        Tide\go(function () use ($b, $n) {
            for ($i = 0; $i < $n; $i++) {
                $m = fread($b, 64);
                fwrite($b, $m);
            }
        });
        for ($i = 0; $i < $n; $i++) {
            fwrite($a, $msg);
            fread($a, 64);
        }
    });
    $secs = (hrtime(true) - $t) / 1e9;
    return [$n / $secs, (cpu() - $c) / $n * 1e6];
}

$bin = "$root/bench/reactor_pingpong";
if (!is_executable($bin)) {
    exec("cc -std=gnu11 -O2 -D_GNU_SOURCE -I$root/include -o $bin $root/bench/reactor_pingpong.c $root/src/core/*.c -luring -lpthread", $o, $rc);
}
echo "C reactor floor (bench/reactor_pingpong.c, $n round trips):\n";
passthru("$bin $n");
pingpong(1000); /* warm-up */
$rate = $cpu = [];
for ($k = 0; $k < 3; $k++) {
    [$r, $c] = pingpong($n);
    $rate[] = $r;
    $cpu[] = $c;
}
printf("\nhooked fwrite/fread over stream_socket_pair(), %s: %.0f round trips/s, %.2f µs CPU per round trip\n",
       getenv('TIDE_REACTOR') ?: 'io_uring', median($rate), median($cpu));
