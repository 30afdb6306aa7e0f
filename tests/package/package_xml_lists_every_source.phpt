--TEST--
package.xml lists every source, header, stub and test file
--DESCRIPTION--
Walks src/, include/, php_stubs/ and tests/ (plus config.m4, config.w32,
README.md, LICENSE) and fails, naming the path, for each file that `pecl
install` would need but package.xml does not list, and for each listed file
that does not exist. Fix with: php tools/package-xml.php
package.xml is read with a small regex scanner rather than DOM/SimpleXML so the
test also runs under `php -n`, where those shared extensions are not loaded.
--EXTENSIONS--
tide
--SKIPIF--
<?php
if (!is_file(__DIR__ . '/../../package.xml')) die('skip package.xml not found (not a source checkout)');
?>
--FILE--
<?php
$root = realpath(__DIR__ . '/../..');

/* Files listed in <contents>, following nested <dir name="..."> elements. */
$xml = file_get_contents("$root/package.xml");
if (!preg_match('#<contents>(.*)</contents>#s', $xml, $m)) {
    die("package.xml has no <contents>\n");
}
$body = preg_replace('#<!--.*?-->#s', '', $m[1]);
preg_match_all('#<(/?)(dir|file)\b([^>]*?)(/?)>#', $body, $tags, PREG_SET_ORDER);
$listed = [];
$dirs = [];
foreach ($tags as [, $close, $tag, $attrs, $selfClose]) {
    if ($tag === 'dir' && $close) {
        array_pop($dirs);
        continue;
    }
    if ($close || !preg_match('#\bname="([^"]*)"#', $attrs, $n)) {
        continue;
    }
    $name = trim(html_entity_decode($n[1], ENT_XML1), '/');
    if ($tag === 'dir' && !$selfClose) {
        $dirs[] = $name;
    } elseif ($tag === 'file') {
        $listed[implode('/', array_filter([...$dirs, $name], 'strlen'))] = true;
    }
}

/* Files the package needs. In tests/ only test sources and data fixtures count;
 * run-tests.php and make leave *.php, *.sh, *.out, *.diff, *.o... behind. */
function needed(string $path): bool
{
    $name = basename($path);
    /* npm's installs (tests/node/node_modules) come from package-lock.json, not the package */
    if (preg_match('#(^|/)\.#', $path) || str_contains($path, '/node_modules/') ||
        preg_match('/\.(o|lo|la|so|a|d|dep|gcda|gcno)$/', $name)) {
        return false;
    }
    if (!str_starts_with($path, 'tests/')) {
        return @file_get_contents($path, false, null, 0, 4) !== "\x7fELF";
    }
    if (preg_match('/\.(phpt|inc)$/', $name)) {
        return true;
    }
    if (str_starts_with($path, 'tests/c/') && preg_match('/(\.[ch]|^Makefile|\.mk)$/', $name)) {
        return true;
    }
    return (bool) preg_match('/\.(pem|crt|key|csr|der|json|txt|html?|css|js|xml|csv|bin|dat|conf|ini|gz|br|png|jpe?g|gif|svg|ico|http|raw)$/', $name);
}

chdir($root);
$problems = [];
$needed = [];
foreach (['config.m4', 'config.w32', 'README.md', 'LICENSE'] as $f) {
    $needed[] = $f;
    if (!is_file($f)) {
        $problems[] = "required file does not exist: $f";
    }
}
foreach (['src', 'include', 'php_stubs', 'tests'] as $dir) {
    if (!is_dir($dir)) {
        continue;
    }
    $it = new RecursiveIteratorIterator(new RecursiveDirectoryIterator($dir, FilesystemIterator::SKIP_DOTS));
    foreach ($it as $file) {
        if ($file->isFile() && needed($file->getPathname())) {
            $needed[] = $file->getPathname();
        }
    }
}
sort($needed);
foreach ($needed as $path) {
    if (!isset($listed[$path])) {
        $problems[] = "missing from package.xml: $path";
    }
}
foreach (array_keys($listed) as $path) {
    if (!is_file($path)) {
        $problems[] = "listed in package.xml but absent: $path";
    }
}
echo $problems ? implode("\n", $problems) . "\n" : "OK\n";
?>
--EXPECT--
OK
