<?php
/*
 * A Symfony Runtime-style runner: serves a Symfony app (any HttpKernelInterface, usually
 * the app's Kernel) from Tide\Http\Server, with the kernel booted once per worker.
 *
 * Two ways to run it, both with the app's usual front controller (public/index.php, which
 * returns a closure making the kernel: Symfony Runtime's convention):
 *
 *   1. As a script, given the front controller:
 *        php -d extension=tide examples/symfony_runtime.php path/to/public/index.php
 *   2. As a Symfony Runtime class (needs symfony/runtime, Debian: php-symfony-runtime),
 *      the way runtimes for Swoole or RoadRunner are used:
 *        APP_RUNTIME='Tide\Symfony\Runtime' php -d extension=tide \
 *            -d auto_prepend_file=examples/symfony_runtime.php public/index.php
 *      (with composer, autoload this file instead of prepending it).
 *
 * Settings, from the environment (or, in way 2, APP_RUNTIME_OPTIONS keys in brackets):
 *   TIDE_HOST (host)              default 127.0.0.1
 *   TIDE_PORT (port)              default 8000; 0 picks a free port (the ready line says which)
 *   TIDE_WORKER_NUM (worker_num)  default: Tide's (the CPU count)
 *   TIDE_MODE (mode)              process (default) or base
 *   TIDE_MAX_REQUEST (max_request) restart a worker after that many requests (0: never)
 *   TIDE_SETTINGS (settings)      more Tide\Server settings, as JSON ({"package_max_length": 8388608})
 *   APP_ENV, APP_DEBUG            as Symfony Runtime reads them (default dev, and debug in dev)
 * Each worker prints "tide: worker #N (pid P) ready on http://HOST:PORT/" once its kernel
 * booted.
 *
 * Per worker: the kernel boots once (container compiled or loaded from the cache dir, the
 * bundles booted), then serves every request of that worker. Per request: a Symfony
 * Request is built from the Tide\Http\Request (query, parsed body, cookies, uploaded
 * files, server vars with REQUEST_URI, REQUEST_METHOD, HTTP_* headers, REMOTE_ADDR, the
 * raw body), $kernel->handle(), the response copied to the Tide\Http\Response (status,
 * headers, each cookie on its own Set-Cookie line, the body: whole, streamed through an
 * output buffer for a StreamedResponse, with sendfile for a BinaryFileResponse),
 * $kernel->terminate(). Between requests the kernel resets its services itself (a booted
 * Kernel calls services_resetter, i.e. every service tagged kernel.reset: each
 * ResetInterface service when autoconfigured, Monolog's buffers, the Doctrine entity
 * manager...) at the start of the next handle(); a kernel that is not a Kernel but
 * implements ResetInterface is reset() after terminate().
 *
 * One request at a time per worker: requests run in coroutines, but a Symfony container is
 * one per process (its RequestStack, its services, PHP's output buffers), so a worker's
 * requests enter the kernel in turn (a coroutine lock). While one waits on hooked I/O (a
 * database, an HTTP call), the worker still accepts and reads other connections; they wait
 * for the kernel. Run more workers for more parallelism.
 */

namespace Tide\Symfony;

use Symfony\Component\HttpFoundation\BinaryFileResponse;
use Symfony\Component\HttpFoundation\File\UploadedFile;
use Symfony\Component\HttpFoundation\Request;
use Symfony\Component\HttpFoundation\Response;
use Symfony\Component\HttpKernel\EventListener\StreamedResponseListener;
use Symfony\Component\HttpKernel\HttpKernelInterface;
use Symfony\Component\HttpKernel\KernelEvents;
use Symfony\Component\HttpKernel\KernelInterface;
use Symfony\Component\HttpKernel\TerminableInterface;
use Symfony\Component\Runtime\RunnerInterface;
use Symfony\Component\Runtime\SymfonyRuntime;
use Symfony\Contracts\Service\ResetInterface;

/* Tide request -> Symfony Request, Symfony Response -> Tide response. Used by
 * examples/octane.php too (Laravel's Request and Response are Symfony's). */
final class HttpBridge
{
    /**
     * @param string $requestClass Request or a subclass (Illuminate\Http\Request)
     * @param string $fileClass    UploadedFile or a subclass (Illuminate\Http\UploadedFile)
     */
    public static function request(\Tide\Http\Request $req, array $baseServer = [],
                                   string $requestClass = Request::class,
                                   string $fileClass = UploadedFile::class): Request
    {
        $s = $req->server;
        $query = $s['query_string'] ?? '';
        $server = $baseServer + [
            'REQUEST_METHOD' => $s['request_method'],
            'REQUEST_URI' => $s['request_uri'] . ($query !== '' ? '?' . $query : ''),
            'QUERY_STRING' => $query,
            'SERVER_PROTOCOL' => $s['server_protocol'] ?? 'HTTP/1.1',
            'SERVER_PORT' => $s['server_port'] ?? 80,
            'REMOTE_ADDR' => $s['remote_addr'] ?? '127.0.0.1',
            'REMOTE_PORT' => $s['remote_port'] ?? 0,
            'REQUEST_TIME' => $s['request_time'] ?? time(),
            'REQUEST_TIME_FLOAT' => $s['request_time_float'] ?? microtime(true),
            'SERVER_SOFTWARE' => 'Tide/' . \Tide\VERSION,
        ];
        $multipart = false;
        foreach ($req->header ?? [] as $name => $value) {
            $key = strtoupper(strtr($name, '-', '_'));
            if ($key === 'CONTENT_TYPE' || $key === 'CONTENT_LENGTH') {
                $server[$key] = $value;
                $multipart = $multipart || ($key === 'CONTENT_TYPE' && stripos($value, 'multipart/form-data') === 0);
            } else {
                $server['HTTP_' . $key] = $value;
            }
        }
        /* As PHP: no raw body for multipart (its parts are in post and files). */
        $content = $multipart ? '' : (string) $req->getContent();

        return new $requestClass($req->get ?? [], $req->post ?? [], [], $req->cookie ?? [],
            self::files($req->files ?? [], $fileClass), $server, $content);
    }

    /* $_FILES shape -> UploadedFile objects (FileBag's conversion), made in "test" mode:
     * Tide's uploads are not in PHP's own upload list, so is_uploaded_file() would say no;
     * in test mode isValid() checks the error code alone and move() renames the file. */
    private static function files(array $files, string $class): array
    {
        $out = [];
        foreach ($files as $key => $f) {
            $out[$key] = self::file($f, $class);
        }
        return $out;
    }

    private static function file($f, string $class)
    {
        if (!\is_array($f)) {
            return $f;
        }
        if (isset($f['name'], $f['error']) && \array_key_exists('tmp_name', $f) && !\is_array($f['name'])) {
            if ($f['error'] === \UPLOAD_ERR_NO_FILE) {
                return null;
            }
            return new $class((string) $f['tmp_name'], $f['name'], $f['type'] ?? null, $f['error'], true);
        }
        if (isset($f['name']) && \is_array($f['name'])) { /* name[] fields: PHP's transposed shape */
            $out = [];
            foreach ($f['name'] as $k => $_) {
                $one = [];
                foreach (['name', 'type', 'tmp_name', 'error', 'size'] as $field) {
                    $one[$field] = $f[$field][$k] ?? null;
                }
                $out[$k] = self::file($one, $class);
            }
            return $out;
        }
        return self::files($f, $class);
    }

    /* Sends $sf on $res: status, headers, cookies, then the body. */
    public static function send(Response $sf, \Tide\Http\Response $res): void
    {
        $code = $sf->getStatusCode();
        $res->status($code, Response::$statusTexts[$code] ?? '');
        foreach ($sf->headers->allPreserveCaseWithoutCookies() as $name => $values) {
            $res->header($name, \count($values) === 1 ? (string) $values[0] : array_map('strval', $values));
        }
        $cookies = array_map('strval', $sf->headers->getCookies());
        if ($cookies) {
            $res->header('Set-Cookie', $cookies);
        }

        if ($sf instanceof BinaryFileResponse && $sf->isSuccessful()) {
            [$offset, $maxlen, $delete] = \Closure::bind(
                fn () => [$this->offset, $this->maxlen, $this->deleteFileAfterSend], $sf, BinaryFileResponse::class)();
            if (!$delete && $maxlen !== 0) {
                $res->sendfile($sf->getFile()->getPathname(), $offset, max($maxlen, 0));
                return;
            }
        }
        $content = $sf->getContent();
        if ($content !== false) {
            $res->end($content);
            return;
        }
        /* StreamedResponse (and a BinaryFileResponse that deletes its file): what its
         * callback echoes goes out as it is echoed (chunk size 1: each echo is passed on,
         * as flush() under php-fpm would), in chunked transfer coding. */
        ob_start(static function (string $buffer) use ($res): string {
            if ($buffer !== '') {
                $res->write($buffer);
            }
            return '';
        }, 1);
        try {
            $sf->sendContent();
        } finally {
            ob_end_flush();
        }
        $res->end();
    }
}

/* The server: one kernel per worker, booted at workerStart. */
final class Server
{
    private array $options;
    private array $baseServer;

    /** @param HttpKernelInterface $kernel not booted yet (the constructor only: each worker boots its own) */
    public function __construct(private HttpKernelInterface $kernel, array $options = [])
    {
        $env = static fn (string $k, $default) => ($v = getenv($k)) !== false && $v !== '' ? $v : $default;
        $this->options = $options + [
            'host' => $env('TIDE_HOST', '127.0.0.1'),
            'port' => (int) $env('TIDE_PORT', 8000),
            'mode' => $env('TIDE_MODE', 'process'),
            'worker_num' => $env('TIDE_WORKER_NUM', null),
            'max_request' => $env('TIDE_MAX_REQUEST', null),
            'settings' => json_decode($env('TIDE_SETTINGS', '{}'), true) ?: [],
        ];
        /* What php-fpm would pass for a front controller at the document root. */
        $script = $_SERVER['TIDE_FRONT_CONTROLLER'] ?? $_SERVER['SCRIPT_FILENAME'] ?? '';
        $this->baseServer = $script === '' ? [] : [
            'SCRIPT_FILENAME' => $script,
            'SCRIPT_NAME' => '/' . basename($script),
            'PHP_SELF' => '/' . basename($script),
            'DOCUMENT_ROOT' => \dirname($script),
        ];
    }

    public function run(): int
    {
        $o = $this->options;
        $mode = $o['mode'] === 'base' ? \Tide\MODE_BASE : \Tide\MODE_PROCESS;
        $server = new \Tide\Http\Server($o['host'], (int) $o['port'], $mode);
        $settings = $o['settings'];
        /* Booting a framework compiles big files (Symfony's FrameworkBundle Configuration.php
         * nests one expression hundreds of calls deep): 256 KiB coroutine stacks are not enough
         * on PHP 8.4 ("Maximum call stack size ... reached during compilation"). 2 MiB, as Swoole. */
        $settings += ['coroutine_stack_size' => 2 << 20];
        if ($o['worker_num'] !== null) {
            $settings['worker_num'] = (int) $o['worker_num'];
        }
        if ($o['max_request'] !== null) {
            $settings['max_request'] = (int) $o['max_request'];
        }
        $server->set($settings);

        $kernel = $this->kernel;
        $lock = null;
        $server->on('workerStart', function (\Tide\Server $s, int $id) use ($kernel, &$lock) {
            if ($kernel instanceof KernelInterface) {
                $kernel->boot();
                self::dropStreamedResponseListener($kernel);
            }
            $lock = new \Tide\Coroutine\Channel(1);
            echo "tide: worker #$id (pid " . getmypid() . ") ready on http://{$s->ports[0]->host}:{$s->ports[0]->port}/\n";
        });
        $server->on('request', function (\Tide\Http\Request $req, \Tide\Http\Response $res) use ($kernel, &$lock) {
            $coroutine = \Tide\Coroutine::getCid() > 0;
            if ($coroutine) {
                $lock->push(true);
            }
            try {
                $this->handle($kernel, $req, $res);
            } finally {
                if ($coroutine) {
                    $lock->pop();
                }
            }
        });
        $server->start();
        return 0;
    }

    /* Symfony 5's StreamedResponseListener sends a StreamedResponse from inside handle(),
     * with header() and echo: to the worker's stdout, here. The runner sends it instead
     * (Symfony 6.1 deprecated the listener for that reason). */
    private static function dropStreamedResponseListener(KernelInterface $kernel): void
    {
        $container = $kernel->getContainer();
        if (!$container->has('event_dispatcher')) {
            return;
        }
        $dispatcher = $container->get('event_dispatcher');
        foreach ($dispatcher->getListeners(KernelEvents::RESPONSE) as $listener) {
            if (\is_array($listener) && $listener[0] instanceof StreamedResponseListener) {
                $dispatcher->removeListener(KernelEvents::RESPONSE, $listener);
            }
        }
    }

    private function handle(HttpKernelInterface $kernel, \Tide\Http\Request $req, \Tide\Http\Response $res): void
    {
        $sfRequest = $sfResponse = null;
        try {
            $sfRequest = HttpBridge::request($req, $this->baseServer);
            $sfResponse = $kernel->handle($sfRequest);
            HttpBridge::send($sfResponse, $res);
        } catch (\Throwable $e) {
            /* The kernel turns exceptions into responses itself; this is for what escapes it
             * (an exception while sending, or a kernel made with catch off). */
            fwrite(STDERR, "tide: " . \get_class($e) . ': ' . $e->getMessage() . ' at ' . $e->getFile() . ':' . $e->getLine() . "\n");
            if ($res->isWritable()) {
                $res->status(500);
                $res->header('Content-Type', 'text/plain; charset=utf-8');
                $res->end("Internal Server Error\n");
            }
        }
        if ($sfResponse !== null && $kernel instanceof TerminableInterface) {
            $kernel->terminate($sfRequest, $sfResponse);
        }
        if (!$kernel instanceof KernelInterface && $kernel instanceof ResetInterface) {
            $kernel->reset();
        }
    }
}

/* The Symfony Runtime classes are declared when first asked for (by then the app's
 * autoloader, loaded after this file when it is prepended, can find symfony/runtime). */
spl_autoload_register(static function (string $class): void {
    if (($class === Runtime::class || $class === Runner::class)
        && !class_exists(Runner::class, false)
        && interface_exists(RunnerInterface::class) && class_exists(SymfonyRuntime::class)) {
        declare_runtime();
    }
});

function declare_runtime(): void
{
    /* Symfony Runtime's RunnerInterface around Server. */
    final class Runner implements RunnerInterface
    {
        public function __construct(private HttpKernelInterface $kernel, private array $options = [])
        {
        }

        public function run(): int
        {
            return (new Server($this->kernel, $this->options))->run();
        }
    }

    /* APP_RUNTIME=Tide\Symfony\Runtime: SymfonyRuntime (APP_ENV, APP_DEBUG, the error
     * handler, the closure's arguments), with a kernel served by Tide. Options (from
     * APP_RUNTIME_OPTIONS or the composer extra.runtime section): host, port, mode,
     * worker_num, max_request, settings. */
    class Runtime extends SymfonyRuntime
    {
        private array $tideOptions;

        public function __construct(array $options = [])
        {
            $this->tideOptions = array_intersect_key($options,
                array_flip(['host', 'port', 'mode', 'worker_num', 'max_request', 'settings']));
            parent::__construct($options);
        }

        public function getRunner(?object $application): RunnerInterface
        {
            if ($application instanceof HttpKernelInterface) {
                return new Runner($application, $this->tideOptions);
            }
            return parent::getRunner($application);
        }
    }
}

/* Way 1: this file is the script; argv[1] is the front controller. */
if (realpath($_SERVER['SCRIPT_FILENAME'] ?? '') === __FILE__) {
    $front = $_SERVER['argv'][1] ?? null;
    if ($front === null || !is_file($front)) {
        fwrite(STDERR, "usage: php -d extension=tide symfony_runtime.php path/to/public/index.php\n");
        exit(2);
    }
    $front = realpath($front);
    /* A composer front controller starts with require vendor/autoload_runtime.php, which
     * runs the app itself unless SCRIPT_FILENAME is empty: blank it while we load it. */
    $_SERVER['SCRIPT_FILENAME'] = '';
    $app = require $front;
    $_SERVER['SCRIPT_FILENAME'] = $_SERVER['TIDE_FRONT_CONTROLLER'] = $front;
    if (!$app instanceof \Closure) {
        fwrite(STDERR, "$front must return a closure (Symfony Runtime's convention), not " . get_debug_type($app) . "\n");
        exit(2);
    }
    if (class_exists(Runtime::class)) {
        $runtime = new Runtime(['project_dir' => \dirname($front, 2), 'disable_dotenv' => !class_exists('Symfony\Component\Dotenv\Dotenv')]);
        [$app, $args] = $runtime->getResolver($app)->resolve();
        exit($runtime->getRunner($app(...$args))->run());
    }
    /* Without symfony/runtime: the usual closure takes array $context. */
    $_SERVER['APP_ENV'] ??= $_ENV['APP_ENV'] ?? 'dev';
    $_SERVER['APP_DEBUG'] ??= $_ENV['APP_DEBUG'] ?? ($_SERVER['APP_ENV'] !== 'prod' ? '1' : '0');
    $kernel = $app($_SERVER + $_ENV);
    if (!$kernel instanceof HttpKernelInterface) {
        fwrite(STDERR, "$front's closure must return an HttpKernelInterface, not " . get_debug_type($kernel) . "\n");
        exit(2);
    }
    exit((new Server($kernel))->run());
}
