<?php
/*
 * Generates the "framework boot" application of bench/http.sh into DIR:
 *   php bench/framework_gen.php DIR
 *
 * What a front controller of a typical PHP framework does on each php-fpm request, in a
 * size like a small Symfony or Laravel app: an autoloader (PSR-4 style: one file per class,
 * found with file_exists), 300 class files, a container that builds 300 services (each
 * takes up to two others in its constructor, and reads configuration), 60 routes compiled
 * (static ones in a hash, the others as regular expressions), then one request routed to
 * a controller that answers "hello".
 *
 *   DIR/bootstrap.php   function app_boot(): App\Kernel (requires the classes, builds the
 *                       container and every service, compiles the routes)
 *   DIR/index.php       php-fpm's front controller: boot, handle $_SERVER['REQUEST_URI'], echo
 *
 * A resident server calls app_boot() once per worker and $kernel->handle($uri) per request
 * (bench/http_framework.php): the per-request work is the same in both.
 */
$dir = $argv[1] ?? null;
if (!$dir) {
    fwrite(STDERR, "usage: php bench/framework_gen.php DIR\n");
    exit(2);
}
const SERVICES = 300;
@mkdir("$dir/src/Service", 0755, true);

for ($i = 0; $i < SERVICES; $i++) {
    $deps = [];
    if ($i > 0) {
        $deps[] = ($i * 7) % $i;
    }
    if ($i > 1) {
        $deps[] = ($i * 13 + 5) % $i;
    }
    $params = implode(', ', array_map(fn($d) => "private Service$d \$s$d", array_unique($deps)));
    $calls = implode(' + ', array_map(fn($d) => "\$this->s{$d}->weight()", array_unique($deps))) ?: '0';
    file_put_contents("$dir/src/Service/Service$i.php", <<<PHP
    <?php
    declare(strict_types=1);

    namespace App\Service;

    final class Service$i
    {
        private array \$options;
        private int \$calls = 0;

        public function __construct(array \$config, $params)
        {
            \$this->options = \$config['service$i'] ?? ['enabled' => true, 'level' => $i % 5];
        }

        public function weight(): int
        {
            return (\$this->options['level'] ?? 0) + 1;
        }

        public function name(): string
        {
            \$this->calls++;
            return 'service$i';
        }

        public function total(): int
        {
            return $calls;
        }
    }

    PHP);
}

file_put_contents("$dir/src/Container.php", <<<'PHP'
<?php
declare(strict_types=1);

namespace App;

/* A container: factories by id, each service built once and kept. */
final class Container
{
    private array $factories = [];
    private array $services = [];

    public function __construct(private array $config)
    {
    }

    public function set(string $id, callable $factory): void
    {
        $this->factories[$id] = $factory;
    }

    public function get(string $id): object
    {
        return $this->services[$id] ??= ($this->factories[$id])($this, $this->config);
    }

    public function ids(): array
    {
        return array_keys($this->factories);
    }
}

PHP);

file_put_contents("$dir/src/Router.php", <<<'PHP'
<?php
declare(strict_types=1);

namespace App;

/* Routes as the common routers keep them: paths without parameters in a hash (one lookup),
 * the others compiled into a regular expression each, tried in order. */
final class Router
{
    private array $static = [];
    private array $dynamic = [];

    public function add(string $method, string $pattern, string $handler): void
    {
        if (!str_contains($pattern, '{')) {
            $this->static[$method][$pattern] = $handler;
            return;
        }
        $re = '#^' . preg_replace('#\{(\w+)\}#', '(?P<$1>[^/]+)', $pattern) . '$#';
        $this->dynamic[] = [$method, $re, $handler];
    }

    public function match(string $method, string $path): ?array
    {
        if (isset($this->static[$method][$path])) {
            return [$this->static[$method][$path], []];
        }
        foreach ($this->dynamic as [$m, $re, $handler]) {
            if ($m === $method && preg_match($re, $path, $args)) {
                return [$handler, array_filter($args, 'is_string', ARRAY_FILTER_USE_KEY)];
            }
        }
        return null;
    }
}

PHP);

file_put_contents("$dir/src/Request.php", <<<'PHP'
<?php
declare(strict_types=1);

namespace App;

final class Request
{
    public function __construct(public readonly string $method, public readonly string $path,
                                public readonly array $query)
    {
    }

    public static function fromUri(string $method, string $uri): self
    {
        $path = parse_url($uri, PHP_URL_PATH) ?: '/';
        parse_str((string) parse_url($uri, PHP_URL_QUERY), $query);
        return new self($method, $path, $query);
    }
}

PHP);

file_put_contents("$dir/src/Kernel.php", <<<'PHP'
<?php
declare(strict_types=1);

namespace App;

final class Kernel
{
    public function __construct(private Container $container, private Router $router)
    {
    }

    public function handle(string $method, string $uri): string
    {
        $request = Request::fromUri($method, $uri);
        $match = $this->router->match($request->method, $request->path);
        if (!$match) {
            return 'not found';
        }
        [$handler, $args] = $match;
        [$service, $action] = explode('::', $handler);
        $this->container->get($service)->$action();
        return 'hello';
    }
}

PHP);

$routes = '';
for ($r = 0; $r < 59; $r++) {
    $routes .= "    \$router->add('GET', '/api/v1/resource$r/{id}', 'svc" . ($r * 5) . "::name');\n";
}
$routes .= "    \$router->add('GET', '/', 'svc0::name');\n";
file_put_contents("$dir/bootstrap.php", <<<PHP
<?php
declare(strict_types=1);

spl_autoload_register(function (string \$class): void {
    if (str_starts_with(\$class, 'App\\\\')) {
        \$file = __DIR__ . '/src/' . str_replace('\\\\', '/', substr(\$class, 4)) . '.php';
        if (file_exists(\$file)) {
            require \$file;
        }
    }
});

function app_boot(): App\Kernel
{
    \$config = ['app' => ['name' => 'bench', 'debug' => false]];
    for (\$i = 0; \$i < 300; \$i += 3) {
        \$config["service\$i"] = ['enabled' => true, 'level' => \$i % 7];
    }
    \$c = new App\Container(\$config);
    for (\$i = 0; \$i < 300; \$i++) {
        \$c->set("svc\$i", function (App\Container \$c, array \$config) use (\$i) {
            \$class = "App\\\\Service\\\\Service\$i";
            \$args = [];
            foreach ((new ReflectionMethod(\$class, '__construct'))->getParameters() as \$p) {
                \$type = \$p->getType()->getName();
                \$args[] = \$type === 'array' ? \$config : \$c->get('svc' . substr(\$type, strlen('App\\\\Service\\\\Service')));
            }
            return new \$class(...\$args);
        });
    }
    foreach (\$c->ids() as \$id) {
        \$c->get(\$id); /* a framework warms its services: all 300 are built */
    }
    \$router = new App\Router();
$routes
    return new App\Kernel(\$c, \$router);
}

PHP);

file_put_contents("$dir/index.php", <<<'PHP'
<?php
declare(strict_types=1);

require __DIR__ . '/bootstrap.php';
echo app_boot()->handle($_SERVER['REQUEST_METHOD'] ?? 'GET', $_SERVER['REQUEST_URI'] ?? '/');

PHP);
echo "framework: " . (SERVICES + 4) . " class files in $dir\n";
