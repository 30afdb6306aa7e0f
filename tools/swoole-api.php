<?php
/*
 * How much of Swoole's PHP API Tide has under tide.swoole_compat=On (issue 15).
 *
 *   php tools/swoole-api.php                  the counts, per class, and what is missing
 *   php tools/swoole-api.php --markdown       the same as Markdown tables (bench/RESULTS.md)
 *   php tools/swoole-api.php --missing-out F  also write the missing names, one a line, to F
 *   php tools/swoole-api.php --extract DIR    rebuild bench/swoole-6.2-api.txt from a directory
 *                                             of Swoole's ext-src/stubs/*.stub.php (stdout)
 * Options: --list FILE (bench/swoole-6.2-api.txt), --ext FILE (modules/tide.so),
 *          --commit SHA and --note TEXT (--extract: the list's header),
 *          --php BINARY (this PHP).
 *
 * The list is names only: each function and each public Class::method that Swoole's stub
 * files declare (__destruct left out: no caller names it), plus the few methods and
 * functions Swoole's C sources register beyond the stubs (EXTRA below). Section lines
 * ("# file: ...") keep which stub file a name came from, which groups the functions.
 *
 * A name is present when it exists in a PHP started with Tide and tide.swoole_compat=On
 * (function_exists(), or method_exists() on the Swoole class name, which is then an alias
 * of the Tide class) and does not exist in the same PHP without Tide: ftp_connect() and
 * the like are PHP's ext/ftp, not Tide's (Swoole re-implements them as coroutine ones).
 */

const LIST_FILE = 'bench/swoole-6.2-api.txt';
const EXT_FILE = 'modules/tide.so';

/*
 * Names Swoole registers in C that its stubs do not declare (at a281145a):
 * Swoole\Event's and Swoole\Timer's static methods are the swoole_event_* / swoole_timer_*
 * functions under a class (ZEND_FENTRY in ext-src/swoole_event.cc, swoole_timer.cc), the rest
 * are aliases (PHP_MALIAS / PHP_FALIAS in ext-src/php_swoole.cc, swoole_client_async.cc,
 * swoole_http_request.cc, swoole_http_response.cc, swoole_server.cc, swoole_table.cc).
 */
const EXTRA = [
    'Swoole\\Event::add', 'Swoole\\Event::del', 'Swoole\\Event::set', 'Swoole\\Event::isset',
    'Swoole\\Event::dispatch', 'Swoole\\Event::defer', 'Swoole\\Event::cycle',
    'Swoole\\Event::write', 'Swoole\\Event::wait', 'Swoole\\Event::rshutdown',
    'Swoole\\Event::exit',
    'Swoole\\Timer::tick', 'Swoole\\Timer::after', 'Swoole\\Timer::exists', 'Swoole\\Timer::info',
    'Swoole\\Timer::stats', 'Swoole\\Timer::list', 'Swoole\\Timer::clear', 'Swoole\\Timer::clearAll',
    'swoole_select', 'swoole_get_mime_type',
    'Swoole\\Async\\Client::pause', 'Swoole\\Async\\Client::resume',
    'Swoole\\Http\\Request::rawContent',
    'Swoole\\Http\\Response::setCookie', 'Swoole\\Http\\Response::setRawCookie',
    'Swoole\\Http\\Response::setStatusCode', 'Swoole\\Http\\Response::setHeader',
    'Swoole\\Server::addlistener', 'Swoole\\Server::exist', 'Swoole\\Server::confirm',
    'Swoole\\Server::connection_info', 'Swoole\\Server::connection_list',
    'Swoole\\Table::delete', 'Swoole\\Table::exist',
];

/*
 * What Tide does not aim at (README: Tide is a coroutine server running Swoole code
 * unchanged; NTS PHP only). Everything else is "in scope": coroutines and their System
 * and Scheduler, channels, locks, atomics, tables, timers, the event loop, runtime hooks,
 * the servers (TCP/UDP, HTTP, WebSocket, ports, tasks, Process for addProcess), and the
 * socket and HTTP clients. Keys: a class, a function group ("functions (<stub file>)"), or
 * a single function; a class key also covers the classes under it ("Swoole\Thread\").
 */
const OUT_OF_SCOPE = [
    'Swoole\\Thread' => 'threads need a ZTS PHP; Tide is NTS only',
    'Swoole\\Thread\\' => 'threads need a ZTS PHP; Tide is NTS only',
    'Swoole\\Coroutine\\Http2\\Client' => 'HTTP/2 client',
    'Swoole\\Redis\\Server' => 'Redis protocol server',
    'Swoole\\Process\\Pool' => 'process pools (Tide\\Server manages its workers)',
    'Swoole\\Coroutine\\Socket' => 'raw socket object (hooked PHP streams and sockets instead)',
    'Swoole\\Async\\Client' => 'callback-style async client (6.x)',
    'Swoole\\NameResolver\\' => 'pluggable DNS resolvers',
    'FTP\\Connection' => 'ext/ftp replacement (--enable-swoole-ftp)',
    'functions (php_swoole_ftp.stub.php)' => 'ext/ftp replacement (--enable-swoole-ftp)',
    'functions (php_swoole_ssh2.stub.php)' => 'ext/ssh2 replacement (--enable-swoole-ssh2)',
    'functions (php_swoole_stdext.stub.php)' => 'typed arrays and method-call syntax (--enable-swoole-stdext)',
    'functions (php_swoole_tracer.stub.php)' => 'tracer (leak detection, profiling)',
    'functions (php_swoole_name_resolver.stub.php)' => 'pluggable DNS resolvers',
    'functions (php_swoole_ex.stub.php)' => 'object-handle debugging',
    'swoole_name_resolver_lookup' => 'pluggable DNS resolvers',
    'swoole_name_resolver_add' => 'pluggable DNS resolvers',
    'swoole_name_resolver_remove' => 'pluggable DNS resolvers',
    'swoole_test_kernel_coroutine' => 'Swoole\'s own test hook',
    'swoole_internal_call_user_shutdown_begin' => 'Swoole library internals',
];

function fail(string $msg): never
{
    fwrite(STDERR, "swoole-api: $msg\n");
    exit(2);
}

/* ---- --extract: names from Swoole's stub files ---- */

/** [file => [names]] for one stub file, with token_get_all. */
function stub_names(string $code): array
{
    $t = token_get_all($code);
    $n = count($t);
    $names = [];
    $ns = '';
    $depth = 0;
    $class = null;
    $classDepth = -1;
    $pendingClass = null;
    $next = function (int $i) use ($t, $n): int {
        for ($i++; $i < $n; $i++) {
            if (!is_array($t[$i]) || !in_array($t[$i][0], [T_WHITESPACE, T_COMMENT, T_DOC_COMMENT], true)) {
                return $i;
            }
        }
        return $n;
    };
    $prev = function (int $i) use ($t): ?int {
        for ($i--; $i >= 0; $i--) {
            if (!is_array($t[$i]) || !in_array($t[$i][0], [T_WHITESPACE, T_COMMENT, T_DOC_COMMENT], true)) {
                return $i;
            }
        }
        return null;
    };
    for ($i = 0; $i < $n; $i++) {
        $tok = $t[$i];
        if ($tok === '{' || (is_array($tok) && in_array($tok[0], [T_CURLY_OPEN, T_DOLLAR_OPEN_CURLY_BRACES], true))) {
            $depth++;
            if ($pendingClass !== null) {
                [$class, $classDepth, $pendingClass] = [$pendingClass, $depth, null];
            }
            continue;
        }
        if ($tok === '}') {
            if ($class !== null && $depth === $classDepth) {
                $class = null;
            }
            $depth--;
            continue;
        }
        if (!is_array($tok)) {
            continue;
        }
        if ($tok[0] === T_NAMESPACE) {
            $j = $next($i);
            $ns = (is_array($t[$j]) && in_array($t[$j][0], [T_STRING, T_NAME_QUALIFIED], true)) ? $t[$j][1] : '';
            continue;
        }
        if (in_array($tok[0], [T_CLASS, T_INTERFACE, T_TRAIT], true)) {
            $p = $prev($i);
            if ($p !== null && is_array($t[$p]) && $t[$p][0] === T_DOUBLE_COLON) {
                continue; // Foo::class
            }
            $j = $next($i);
            $pendingClass = ltrim(($ns === '' ? '' : "$ns\\") . $t[$j][1], '\\');
            continue;
        }
        if ($tok[0] !== T_FUNCTION) {
            continue;
        }
        $j = $next($i);
        if ($t[$j] === '&') {
            $j = $next($j);
        }
        if (!is_array($t[$j])) {
            continue; // a closure
        }
        $fn = $t[$j][1];
        if ($class === null) {
            $names[] = ltrim(($ns === '' ? '' : "$ns\\") . $fn, '\\');
            continue;
        }
        // modifiers before `function`
        $private = false;
        for ($p = $prev($i); $p !== null && is_array($t[$p])
             && in_array($t[$p][0], [T_PUBLIC, T_PROTECTED, T_PRIVATE, T_STATIC, T_FINAL, T_ABSTRACT], true); $p = $prev($p)) {
            $private = $private || in_array($t[$p][0], [T_PRIVATE, T_PROTECTED], true);
        }
        if (!$private && strcasecmp($fn, '__destruct') !== 0) {
            $names[] = "$class::$fn";
        }
    }
    return $names;
}

function extract_list(string $dir, string $commit, ?string $note): void
{
    $files = glob(rtrim($dir, '/') . '/*.stub.php');
    if (!$files) {
        fail("no *.stub.php in $dir");
    }
    sort($files);
    $seen = [];
    $out = [];
    foreach ($files as $f) {
        $names = array_values(array_filter(stub_names(file_get_contents($f)), function ($x) use (&$seen) {
            $k = strtolower($x);
            return isset($seen[$k]) ? false : ($seen[$k] = true);
        }));
        if ($names) {
            $out[] = '# file: ' . basename($f);
            array_push($out, ...$names);
        }
    }
    $extra = array_values(array_filter(EXTRA, fn($x) => !isset($seen[strtolower($x)])));
    if ($extra) {
        $out[] = '# file: ext-src/*.cc';
        array_push($out, ...$extra);
    }
    $total = count(array_filter($out, fn($l) => $l[0] !== '#'));
    echo "# The functions and public methods of Swoole's PHP API: one function or Class::method a line.\n";
    echo "# Names only, extracted from the stub files (ext-src/stubs/*.stub.php) of swoole/swoole-src\n";
    echo "# at commit $commit (Apache-2.0), plus the\n";
    echo "# methods and aliases its C sources register beyond the stubs (last section).\n";
    echo "# Rebuilt with: php tools/swoole-api.php --extract <dir of the stub files> --commit <sha>\n";
    if ($note !== null) {
        echo "# $note\n";
    }
    echo "# $total names.\n";
    echo implode("\n", $out), "\n";
}

/* ---- the check ---- */

/** [[name, file], ...] from the list file. */
function load_list(string $path): array
{
    $lines = @file($path, FILE_IGNORE_NEW_LINES);
    if ($lines === false) {
        fail("cannot read $path");
    }
    $file = '';
    $names = [];
    foreach ($lines as $l) {
        $l = trim($l);
        if ($l === '') {
            continue;
        }
        if ($l[0] === '#') {
            if (preg_match('/^# file: (.*)$/', $l, $m)) {
                $file = $m[1];
            }
            continue;
        }
        $names[] = [$l, $file];
    }
    return $names;
}

/** The names that exist in a PHP started with $args (this script's --probe). */
function probe(string $php, array $args, array $names): array
{
    $in = tempnam(sys_get_temp_dir(), 'swapi');
    file_put_contents($in, implode("\n", array_column($names, 0)));
    $cmd = array_merge([$php], $args, [__FILE__, '--probe', $in]);
    $p = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    $out = stream_get_contents($pipes[1]);
    $err = stream_get_contents($pipes[2]);
    $rc = proc_close($p);
    unlink($in);
    $res = json_decode($out, true);
    if ($rc !== 0 || !is_array($res)) {
        fail('probe failed: ' . implode(' ', $cmd) . "\n$out$err");
    }
    if (trim($err) !== '') {
        fwrite(STDERR, $err);
    }
    return $res;
}

function do_probe(string $file): void
{
    $exists = [];
    foreach (file($file, FILE_IGNORE_NEW_LINES) as $name) {
        if (str_contains($name, '::')) {
            [$c, $m] = explode('::', $name, 2);
            $ok = class_exists($c) && method_exists($c, $m);
        } else {
            $ok = function_exists($name);
        }
        if ($ok) {
            $exists[] = $name;
        }
    }
    echo json_encode(['exists' => $exists, 'tide' => extension_loaded('tide'),
                      'compat' => (bool)ini_get('tide.swoole_compat'),
                      'swoole' => extension_loaded('swoole') || extension_loaded('openswoole')]);
}

function group_of(string $name, string $file): string
{
    return str_contains($name, '::') ? explode('::', $name, 2)[0] : "functions ($file)";
}

function out_of_scope(string $name, string $group): ?string
{
    if (isset(OUT_OF_SCOPE[$name])) {
        return OUT_OF_SCOPE[$name];
    }
    if (isset(OUT_OF_SCOPE[$group])) {
        return OUT_OF_SCOPE[$group];
    }
    foreach (OUT_OF_SCOPE as $k => $why) {
        if (str_ends_with($k, '\\') && str_starts_with($group, $k)) {
            return $why;
        }
    }
    return null;
}

function check(array $opt): int
{
    $names = load_list($opt['list']);
    $php = $opt['php'];
    $base = probe($php, ['-d', 'tide.swoole_compat=Off'], $names);
    $withExt = $base['tide'] ? [] : ['-d', 'extension=' . realpath($opt['ext'])];
    if (!$base['tide'] && !is_file($opt['ext'])) {
        fail("no {$opt['ext']}: build it first (./dev build)");
    }
    $on = probe($php, array_merge($withExt, ['-d', 'tide.swoole_compat=On']), $names);
    if (!$on['tide'] || !$on['compat']) {
        fail('Tide did not load with tide.swoole_compat=On');
    }
    // Without Tide at all, for what PHP itself has (ftp_*): only when Tide is not in php.ini.
    $php_own = $base['tide'] ? [] : array_flip($base['exists']);
    $have = array_flip($on['exists']);

    $groups = [];
    $missing = [];
    $php_owned = [];
    $tot = ['all' => [0, 0], 'scope' => [0, 0]];
    foreach ($names as [$name, $file]) {
        $g = group_of($name, $file);
        $why = out_of_scope($name, $g);
        $groups[$g] ??= ['n' => 0, 'have' => 0, 'missing' => [], 'out' => null, 'scope_n' => 0];
        $ok = isset($have[$name]) && !isset($php_own[$name]);
        if (isset($php_own[$name])) {
            $php_owned[] = $name;
        }
        $groups[$g]['n']++;
        $groups[$g]['have'] += $ok;
        $tot['all'][0]++;
        $tot['all'][1] += $ok;
        if ($why === null) {
            $groups[$g]['scope_n']++;
            $tot['scope'][0]++;
            $tot['scope'][1] += $ok;
        } else {
            $groups[$g]['out'] ??= $why;
        }
        if (!$ok) {
            $short = str_contains($name, '::') ? explode('::', $name, 2)[1] : $name;
            $groups[$g]['missing'][] = [$short, $why];
            $missing[] = ($why === null ? '' : '(out of scope) ') . $name;
        }
    }
    foreach ($groups as &$r) {
        if ($r['scope_n'] > 0) {
            $r['out'] = null; // a group with a few names out of scope is still in scope
        }
    }
    unset($r);
    // a missing name, marked when out of scope in a group that is not
    $show = fn(array $r, string $q, string $sep = ' ') => implode($sep, array_map(
        fn($m) => $q . $m[0] . $q . ($m[1] !== null && $r['out'] === null ? ' (out of scope)' : ''), $r['missing']));
    if ($opt['missing-out'] !== null) {
        file_put_contents($opt['missing-out'], implode("\n", $missing) . "\n");
    }
    // in-scope groups first, each part by name
    uksort($groups, fn($a, $b) => [$groups[$a]['scope_n'] === 0, $a] <=> [$groups[$b]['scope_n'] === 0, $b]);
    $pct = fn(int $h, int $n) => $n ? sprintf('%.0f%%', 100 * $h / $n) : '-';
    $list = basename($opt['list']);
    $opt['list'] = $list;
    if ($opt['markdown']) {
        echo "| Swoole 6.2 names ($list) | names | in Tide | missing | share |\n";
        echo "|---|--:|--:|--:|--:|\n";
        foreach (['all' => 'all of Swoole 6.2', 'scope' => 'in scope'] as $k => $label) {
            [$n, $h] = $tot[$k];
            printf("| %s | %d | %d | %d | %s |\n", $label, $n, $h, $n - $h, $pct($h, $n));
        }
        echo "\n| Class or function group | in Tide / names | missing |\n|---|--:|---|\n";
        $outRows = [];
        foreach ($groups as $g => $r) {
            if ($r['out'] !== null) {
                $outRows[$r['out']][0][] = "`$g`";
                $outRows[$r['out']][1] = ($outRows[$r['out']][1] ?? 0) + $r['n'];
                $outRows[$r['out']][2] = ($outRows[$r['out']][2] ?? 0) + $r['have'];
                continue;
            }
            printf("| `%s` | %d / %d | %s |\n", $g, $r['have'], $r['n'], $show($r, '`', ', '));
        }
        foreach ($outRows as $why => [$gs, $n, $h]) {
            printf("| out of scope (%s): %s | %d / %d | |\n", $why, implode(', ', $gs), $h, $n);
        }
    } else {
        printf("Swoole 6.2 API (%s, %d names) in Tide (tide.swoole_compat=On)\n", $opt['list'], count($names));
        foreach (['all' => 'all of Swoole 6.2', 'scope' => 'in scope'] as $k => $label) {
            [$n, $h] = $tot[$k];
            printf("  %-18s total %4d  present %4d  missing %4d  (%s)\n", $label, $n, $h, $n - $h, $pct($h, $n));
        }
        echo "\nPer class / function group (present/total):\n";
        foreach ($groups as $g => $r) {
            printf("  %-44s %3d/%-3d%s\n", $g, $r['have'], $r['n'], $r['out'] === null ? '' : "  out of scope: {$r['out']}");
        }
        echo "\nMissing, by class / function group:\n";
        foreach ($groups as $g => $r) {
            if ($r['missing']) {
                printf("  %s%s (%d):\n    %s\n", $g, $r['out'] === null ? '' : ' [out of scope]', count($r['missing']),
                       wordwrap($show($r, ''), 90, "\n    "));
            }
        }
    }
    if ($php_owned) {
        fprintf($opt['markdown'] ? STDERR : STDOUT,
                "\nNot counted as Tide's: %d names PHP has without Tide (%s...)\n",
                count($php_owned), implode(', ', array_slice($php_owned, 0, 3)));
    }
    return 0;
}

/* ---- main ---- */

$root = dirname(__DIR__);
$opt = ['list' => "$root/" . LIST_FILE, 'ext' => "$root/" . EXT_FILE, 'php' => PHP_BINARY, 'markdown' => false,
        'missing-out' => null, 'note' => null, 'commit' => 'a281145a1fb8e3dc3fbb89ae9bf746b5556bb89e'];
$args = array_slice($argv, 1);
$mode = 'check';
$dir = null;
while ($args) {
    $a = array_shift($args);
    switch ($a) {
        case '--probe':
            do_probe(array_shift($args) ?? fail('--probe FILE'));
            exit(0);
        case '--extract':
            $mode = 'extract';
            $dir = array_shift($args) ?? fail('--extract DIR');
            break;
        case '--markdown':
            $opt['markdown'] = true;
            break;
        case '--list': case '--ext': case '--php': case '--missing-out': case '--commit': case '--note':
            $opt[substr($a, 2)] = array_shift($args) ?? fail("$a needs a value");
            break;
        case '-h': case '--help':
            preg_match('~/\*(.*?)\*/~s', file_get_contents(__FILE__), $m);
            echo preg_replace('/^ \* ?/m', '', trim($m[1])), "\n";
            exit(0);
        default:
            fail("unknown argument $a (--help)");
    }
}
if ($mode === 'extract') {
    extract_list($dir, $opt['commit'], $opt['note']);
    exit(0);
}
exit(check($opt));
