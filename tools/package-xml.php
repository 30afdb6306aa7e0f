<?php
/*
 * Regenerate the <contents> section (and <date>) of package.xml from the
 * files present in the tree; everything else in package.xml is kept as is.
 *
 *   php tools/package-xml.php           rewrite package.xml
 *   php tools/package-xml.php --check   exit 1 and list files that are present but
 *                                       not in package.xml, or listed but absent
 *
 * "Present" = `git ls-files --cached --others --exclude-standard` (tracked plus
 * untracked-but-not-ignored files) under the roots below, minus build products.
 */

const ROOTS = [
    'config.m4' => 'src', 'config.w32' => 'src', 'README.md' => 'doc', 'LICENSE' => 'doc',
    'src' => 'src', 'include' => 'src', 'php_stubs' => 'src', 'tests' => 'test',
];

/** Objects, libtool/run-tests leftovers, dotfiles, editor droppings, binaries. */
function is_build_product(string $path): bool
{
    $name = basename($path);
    foreach (explode('/', $path) as $part) {
        if ($part[0] === '.') {
            return true;                                    // .libs/, .deps, .gitignore
        }
    }
    if (str_ends_with($name, '~') || preg_match('/\.(o|lo|la|so|a|d|dep|gcda|gcno|swp)$/', $name)) {
        return true;
    }
    if (str_starts_with($path, 'tests/')) {
        if (preg_match('/\.(diff|exp|log|out|mem)$/', $name)) {
            return true;
        }
        // foo.php / foo.sh / foo.skip.php / foo.clean.php written by run-tests next to foo.phpt
        if (preg_match('/^(.*?)(\.skip|\.clean)?\.(php|sh)$/', $name, $m)
            && is_file(dirname($path) . "/$m[1].phpt")) {
            return true;
        }
    }
    return @file_get_contents($path, false, null, 0, 4) === "\x7fELF"; // built test binaries
}

/** @return array<string,string> path => role, sorted */
function present_files(): array
{
    exec('git rev-parse --is-inside-work-tree 2>/dev/null', $_, $rc);
    if ($rc !== 0) {
        fwrite(STDERR, "package-xml: not inside a git work tree\n");
        exit(2);
    }
    $cmd = 'git ls-files -z --cached --others --exclude-standard -- '
         . implode(' ', array_map('escapeshellarg', array_keys(ROOTS)));
    $out = shell_exec($cmd);
    if (!is_string($out)) {
        fwrite(STDERR, "package-xml: git ls-files failed\n");
        exit(2);
    }
    $files = [];
    foreach (array_filter(explode("\0", $out)) as $path) {
        if (is_file($path) && !is_build_product($path)) {
            $files[$path] = ROOTS[explode('/', $path)[0]];
        }
    }
    ksort($files, SORT_STRING);
    return $files;
}

/** @return array<string,string> path => role, as listed in package.xml */
function listed_files(string $xml): array
{
    $dom = new DOMDocument();
    if (!$dom->loadXML($xml)) {
        fwrite(STDERR, "package-xml: package.xml is not well-formed\n");
        exit(2);
    }
    $files = [];
    $walk = function (DOMElement $el, string $prefix) use (&$walk, &$files) {
        foreach ($el->childNodes as $child) {
            if (!$child instanceof DOMElement) {
                continue;
            }
            $path = ltrim($prefix . '/' . $child->getAttribute('name'), '/');
            if ($child->localName === 'dir') {
                $walk($child, $path);
            } elseif ($child->localName === 'file') {
                $files[$path] = $child->getAttribute('role');
            }
        }
    };
    $walk($dom->getElementsByTagName('contents')->item(0), '');
    return $files;
}

chdir(dirname(__DIR__));
$xml = file_get_contents('package.xml');
$present = present_files();

if (in_array('--check', $argv, true)) {
    $listed = listed_files($xml);
    $problems = [];
    foreach (array_diff_key($present, $listed) as $path => $_) {
        $problems[] = "missing from package.xml: $path";
    }
    foreach (array_diff_key($listed, $present) as $path => $_) {
        $problems[] = "listed in package.xml but absent: $path";
    }
    echo $problems ? implode("\n", $problems) . "\nrun: php tools/package-xml.php\n"
                   : "package-xml: ok (" . count($listed) . " files)\n";
    exit($problems ? 1 : 0);
}

$contents = " <contents>\n  <dir name=\"/\">\n";
foreach ($present as $path => $role) {
    $contents .= sprintf("   <file name=\"%s\" role=\"%s\" />\n", htmlspecialchars($path, ENT_XML1), $role);
}
$contents .= "  </dir>\n </contents>";

$new = preg_replace('#^[ \t]*<contents>.*</contents>#ms', $contents, $xml, 1, $n);
if ($n !== 1) {
    fwrite(STDERR, "package-xml: no <contents> element in package.xml\n");
    exit(2);
}
$new = preg_replace('#<date>[^<]*</date>#', '<date>' . gmdate('Y-m-d') . '</date>', $new, 1);
listed_files($new); // sanity: still well-formed

if ($new !== $xml) {
    file_put_contents('package.xml', $new);
}
echo "package-xml: " . count($present) . " files listed\n";
