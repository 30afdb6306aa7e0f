--TEST--
Server lifecycle: shutdown() and reload() called from the start and managerStart callbacks work as they do later (the server stops with status 0, or reloads and serves on), and never kill the process with its own signal, in both modes
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

foreach (TIDE_MODES as $mode => $name) {
    foreach (['start', 'managerStart'] as $event) {
        /* shutdown() at once: start() returns, the script goes on, status 0. */
        $srv = new TideServerProc(<<<PHP
            \$s = new Tide\\Server('127.0.0.1', 0, TIDE_TEST_MODE);
            \$s->set(['worker_num' => 1]);
            \$s->on('receive', fn() => 1);
            \$s->on('$event', fn(\$s) => print('shutdown() -> ' . json_encode(\$s->shutdown()) . "\\n"));
            var_dump(\$s->start());
            echo "after start\\n";
        PHP, $mode);
        /* The script ends by itself: a SIGTERM from stop() could race its exit. */
        $status = $srv->waitExit(10);
        echo "$name, $event, shutdown: ", str_replace("\n", ' | ', trim($srv->out())), " | status $status\n";

        /* reload() at once: the server runs on. */
        $srv = new TideServerProc(<<<PHP
            \$s = new Tide\\Server('127.0.0.1', 0, TIDE_TEST_MODE);
            \$s->set(['worker_num' => 1]);
            \$s->on('workerStart', fn(\$s, \$id) => tide_test_ready(\$s));
            \$s->on('receive', fn(\$s, \$fd) => \$s->send(\$fd, 'pid ' . getmypid()));
            \$s->on('$event', fn(\$s) => print('reload() -> ' . json_encode(\$s->reload()) . "\\n"));
            \$s->start();
        PHP, $mode);
        $srv->waitReady(1);
        $c = tide_connect($srv->port);
        fwrite($c, 'x');
        $served = str_starts_with(tide_read_until($c, ' ', 2) . fread($c, 20), 'pid ');
        $running = $srv->running();
        $status = $srv->stop(5);
        echo "$name, $event, reload: ", preg_match('/reload\(\) -> true/', $srv->out()) ? 'true' : $srv->out(),
            ', still serving: ', $running && $served ? 'yes' : 'no',
            ", status $status\n";
    }
}
?>
--EXPECT--
process, start, shutdown: shutdown() -> true | bool(true) | after start | status 0
process, start, reload: true, still serving: yes, status 0
process, managerStart, shutdown: shutdown() -> true | bool(true) | after start | status 0
process, managerStart, reload: true, still serving: yes, status 0
base, start, shutdown: shutdown() -> true | bool(true) | after start | status 0
base, start, reload: true, still serving: yes, status 0
base, managerStart, shutdown: shutdown() -> true | bool(true) | after start | status 0
base, managerStart, reload: true, still serving: yes, status 0
