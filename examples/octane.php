<?php
/*
 * A Laravel Octane-style runner: serves a Laravel app from Tide\Http\Server, the app booted
 * once per worker, each request handled in a sandbox (a clone of the booted app).
 *
 *   php -d extension=tide examples/octane.php path/to/laravel-app     (the folder holding bootstrap/app.php)
 *
 * Settings, from the environment: TIDE_HOST (127.0.0.1), TIDE_PORT (8000; 0 picks a free
 * port), TIDE_WORKER_NUM (Tide's default: the CPU count), TIDE_MODE (process or base),
 * TIDE_MAX_REQUEST (0: never restart a worker), TIDE_SETTINGS (more Tide\Server settings as
 * JSON), TIDE_OCTANE_FLUSH (more container bindings to forget after each request, comma
 * separated); APP_ENV, APP_DEBUG and the rest as the app reads them. Each worker prints
 * "tide: worker #N (pid P) ready on http://HOST:PORT/" once its app booted.
 *
 * Per worker (workerStart): $app = require bootstrap/app.php; the HTTP kernel is made and
 * its bootstrappers run (environment, configuration, exception handling, facades,
 * providers registered and booted), with a placeholder request bound as Octane does
 * (Request::create(config('app.url'))), so providers that look at the request at boot do
 * not fail. That is the work php-fpm repeats for every request.
 *
 * Per request, as Octane does:
 *   - $sandbox = clone $app: the container's bindings and resolved instances are copied
 *     (the objects in them are shared), so what a request binds, or resolves for the
 *     first time, goes into the sandbox and is dropped with it;
 *   - the sandbox becomes Container::getInstance(), the facades' application (their
 *     resolved instances cleared), the HTTP kernel's, the router's and the container of
 *     the services that keep one (validator, view, gate, auth, db) when already resolved;
 *   - the Tide request becomes an Illuminate\Http\Request (query, post, cookies, uploaded
 *     files, server vars with HTTP_* headers, REMOTE_ADDR, the raw body), bound as
 *     'request'; $kernel->handle(); the response goes out (status, headers, cookies, body;
 *     streamed and file responses as examples/symfony_runtime.php sends them);
 *     $kernel->terminate();
 *   - after it: the queued cookies of the cookie jar are flushed, the scoped instances
 *     (Container::scoped()) and the TIDE_OCTANE_FLUSH bindings forgotten, the auth guards
 *     forgotten, and everything handed back to the base $app.
 *
 * What is NOT reset (Octane's well-known trap, and the same here): a singleton resolved
 * at boot (in a provider's boot(), or by anything made at boot) is shared by every request
 * of the worker, with whatever it holds. If it took the request (or the config, or the
 * container) when it was made, it keeps the boot-time one for ever; static properties and
 * globals keep their values too. Take the request as a method argument, or resolve the
 * singleton per request (bind it with scoped(), or list it in TIDE_OCTANE_FLUSH).
 * tests/frameworks/laravel-app shows each case (/boot, /state, /trap).
 *
 * One request at a time per worker (a coroutine lock), for the reason given in
 * examples/symfony_runtime.php: the app's services, the facades and PHP's output buffers
 * are one per process. Run more workers for more parallelism.
 */

namespace Tide\Octane;

use Illuminate\Container\Container;
use Illuminate\Contracts\Http\Kernel as HttpKernel;
use Illuminate\Foundation\Application;
use Illuminate\Http\Request;
use Illuminate\Http\UploadedFile;
use Illuminate\Support\Facades\Facade;
use Tide\Symfony\HttpBridge;

require_once __DIR__ . '/symfony_runtime.php'; // Tide\Symfony\HttpBridge

final class Worker
{
    private Application $app;
    private HttpKernel $kernel;
    private array $flush;

    public function __construct(private string $basePath)
    {
        $this->flush = array_filter(array_map('trim', explode(',', (string) getenv('TIDE_OCTANE_FLUSH'))));
    }

    /* Once per worker. */
    public function boot(): void
    {
        $this->app = require $this->basePath . '/bootstrap/app.php';
        $this->app->instance('request', Request::create('http://localhost/'));
        $this->kernel = $this->app->make(HttpKernel::class);
        $this->kernel->bootstrap();
        $this->app->instance('request', Request::create($this->app['config']->get('app.url', 'http://localhost/')));
    }

    public function handle(\Tide\Http\Request $req, \Tide\Http\Response $res): void
    {
        $app = $this->app;
        $sandbox = clone $app;
        $sandbox->instance('app', $sandbox); // the clone's own 'app' and Container entries
        $sandbox->instance(Container::class, $sandbox);
        $this->giveApplication($sandbox);
        $request = $response = null;
        try {
            $request = HttpBridge::request($req, $this->baseServer(), Request::class, UploadedFile::class);
            $sandbox->instance('request', $request);
            $response = $this->kernel->handle($request);
            HttpBridge::send($response, $res);
            $this->kernel->terminate($request, $response);
        } catch (\Throwable $e) {
            /* The kernel renders exceptions itself; this is for what escapes it. */
            fwrite(STDERR, 'tide: ' . \get_class($e) . ': ' . $e->getMessage() . ' at ' . $e->getFile() . ':' . $e->getLine() . "\n");
            if ($res->isWritable()) {
                $res->status(500);
                $res->header('Content-Type', 'text/plain; charset=utf-8');
                $res->end("Internal Server Error\n");
            }
        } finally {
            $this->flush($sandbox);
            $this->giveApplication($app);
        }
    }

    /* The sandbox (or, after the request, the base app) to everything that holds one. */
    private function giveApplication(Application $to): void
    {
        Container::setInstance($to);
        Facade::clearResolvedInstances();
        Facade::setFacadeApplication($to);
        $this->kernel->setApplication($to);
        foreach (['router' => 'setContainer', 'validator' => 'setContainer', 'view' => 'setContainer',
                  'Illuminate\Contracts\Auth\Access\Gate' => 'setContainer', 'auth' => 'setApplication',
                  'db' => 'setApplication'] as $abstract => $method) {
            /* Services resolved at boot live in the base app's instances, shared by clones. */
            if ($this->app->resolved($abstract) && method_exists($service = $this->app->make($abstract), $method)) {
                $service->$method($to);
            }
        }
    }

    private function flush(Application $sandbox): void
    {
        if ($sandbox->resolved('cookie')) {
            $sandbox->make('cookie')->flushQueuedCookies();
        }
        if ($sandbox->resolved('auth') && method_exists($auth = $sandbox->make('auth'), 'forgetGuards')) {
            $auth->forgetGuards();
        }
        $sandbox->forgetScopedInstances();
        $this->app->forgetScopedInstances();
        foreach ($this->flush as $abstract) {
            $sandbox->forgetInstance($abstract);
            $this->app->forgetInstance($abstract);
        }
    }

    private function baseServer(): array
    {
        $script = $this->basePath . '/public/index.php';
        return ['SCRIPT_FILENAME' => $script, 'SCRIPT_NAME' => '/index.php', 'PHP_SELF' => '/index.php',
                'DOCUMENT_ROOT' => $this->basePath . '/public'];
    }
}

function serve(string $basePath): int
{
    $env = static fn (string $k, $default) => ($v = getenv($k)) !== false && $v !== '' ? $v : $default;
    $mode = $env('TIDE_MODE', 'process') === 'base' ? \Tide\MODE_BASE : \Tide\MODE_PROCESS;
    $server = new \Tide\Http\Server($env('TIDE_HOST', '127.0.0.1'), (int) $env('TIDE_PORT', 8000), $mode);
    $settings = json_decode($env('TIDE_SETTINGS', '{}'), true) ?: [];
    /* Booting a framework compiles big files (Symfony's FrameworkBundle Configuration.php
     * nests one expression hundreds of calls deep): 256 KiB coroutine stacks are not enough
     * on PHP 8.4 ("Maximum call stack size ... reached during compilation"). 2 MiB, as Swoole. */
    $settings += ['coroutine_stack_size' => 2 << 20];
    if (($n = $env('TIDE_WORKER_NUM', null)) !== null) {
        $settings['worker_num'] = (int) $n;
    }
    if (($n = $env('TIDE_MAX_REQUEST', null)) !== null) {
        $settings['max_request'] = (int) $n;
    }
    $server->set($settings);

    $worker = new Worker($basePath);
    $lock = null;
    $server->on('workerStart', function (\Tide\Server $s, int $id) use ($worker, &$lock) {
        $worker->boot();
        $lock = new \Tide\Coroutine\Channel(1);
        echo "tide: worker #$id (pid " . getmypid() . ") ready on http://{$s->ports[0]->host}:{$s->ports[0]->port}/\n";
    });
    $server->on('request', function (\Tide\Http\Request $req, \Tide\Http\Response $res) use ($worker, &$lock) {
        $coroutine = \Tide\Coroutine::getCid() > 0;
        if ($coroutine) {
            $lock->push(true);
        }
        try {
            $worker->handle($req, $res);
        } finally {
            if ($coroutine) {
                $lock->pop();
            }
        }
    });
    $server->start();
    return 0;
}

if (realpath($_SERVER['SCRIPT_FILENAME'] ?? '') === __FILE__) {
    $base = $_SERVER['argv'][1] ?? null;
    if ($base === null || !is_file("$base/bootstrap/app.php")) {
        fwrite(STDERR, "usage: php -d extension=tide octane.php path/to/laravel-app (the folder of bootstrap/app.php)\n");
        exit(2);
    }
    exit(serve(realpath($base)));
}
