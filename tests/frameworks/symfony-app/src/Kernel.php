<?php
namespace App;

use Symfony\Bundle\FrameworkBundle\FrameworkBundle;
use Symfony\Bundle\FrameworkBundle\Kernel\MicroKernelTrait;
use Symfony\Component\DependencyInjection\Loader\Configurator\ContainerConfigurator;
use Symfony\Component\HttpFoundation\BinaryFileResponse;
use Symfony\Component\HttpFoundation\Cookie;
use Symfony\Component\HttpFoundation\JsonResponse;
use Symfony\Component\HttpFoundation\Request;
use Symfony\Component\HttpFoundation\Response;
use Symfony\Component\HttpFoundation\StreamedResponse;
use Symfony\Component\HttpKernel\Kernel as BaseKernel;
use Symfony\Component\Routing\Loader\Configurator\RoutingConfigurator;

/* A MicroKernelTrait app for tests/frameworks/symfony_runtime.phpt: a route per thing a
 * runner must carry over, and services that show what lives across requests. */
class Kernel extends BaseKernel
{
    use MicroKernelTrait;

    /** How many times a kernel of this process booted (the runner boots one per worker). */
    public static int $boots = 0;

    public function registerBundles(): iterable
    {
        yield new FrameworkBundle();
    }

    public function getProjectDir(): string
    {
        return \dirname(__DIR__);
    }

    public function getCacheDir(): string
    {
        return ($_SERVER['APP_VAR_DIR'] ?? sys_get_temp_dir() . '/tide-symfony-app') . '/cache/' . $this->environment;
    }

    public function getLogDir(): string
    {
        return ($_SERVER['APP_VAR_DIR'] ?? sys_get_temp_dir() . '/tide-symfony-app') . '/log';
    }

    public function boot()
    {
        if (!$this->booted) {
            self::$boots++;
        }
        parent::boot();
    }

    protected function configureContainer(ContainerConfigurator $c): void
    {
        $c->extension('framework', [
            'secret' => 'tide-test',
            'http_method_override' => false,
            'router' => ['utf8' => true],
        ]);
        $c->services()
            ->set(Counter::class)->public()
            ->set(RequestState::class)->public()->autoconfigure(); // ResetInterface: tagged kernel.reset
    }

    protected function configureRoutes(RoutingConfigurator $routes): void
    {
        $routes->add('hello', '/hello')->controller([$this, 'hello'])->methods(['GET', 'HEAD']);
        $routes->add('echo', '/echo')->controller([$this, 'echo']);
        $routes->add('form', '/form')->controller([$this, 'form'])->methods(['POST']);
        $routes->add('json', '/json')->controller([$this, 'json'])->methods(['POST']);
        $routes->add('upload', '/upload')->controller([$this, 'upload'])->methods(['POST']);
        $routes->add('cookies', '/cookies')->controller([$this, 'cookies']);
        $routes->add('boom', '/boom')->controller([$this, 'boom']);
        $routes->add('stream', '/stream')->controller([$this, 'stream']);
        $routes->add('file', '/file')->controller([$this, 'file']);
        $routes->add('boot', '/boot')->controller([$this, 'bootInfo']);
        $routes->add('state', '/state')->controller([$this, 'state']);
    }

    public function hello(Request $request): Response
    {
        return new Response('Hello, ' . $request->query->get('name', 'world') . '!',
            200, ['Content-Type' => 'text/plain; charset=utf-8', 'X-Answer' => '42']);
    }

    /** What the kernel saw of the request. */
    public function echo(Request $request): JsonResponse
    {
        return new JsonResponse([
            'method' => $request->getMethod(),
            'uri' => $request->getRequestUri(),
            'path' => $request->getPathInfo(),
            'query' => $request->query->all(),
            'host' => $request->getHost(),
            'client_ip' => $request->getClientIp(),
            'ua' => $request->headers->get('User-Agent'),
            'x_multi' => $request->headers->get('X-Test'),
            'content_type' => $request->headers->get('Content-Type'),
            'content' => $request->getContent(),
            'secure' => $request->isSecure(),
        ]);
    }

    public function form(Request $request): JsonResponse
    {
        return new JsonResponse(['post' => $request->request->all()]);
    }

    public function json(Request $request): JsonResponse
    {
        return new JsonResponse(['got' => $request->toArray()], 201);
    }

    public function upload(Request $request): JsonResponse
    {
        $out = [];
        foreach ($request->files->all() as $name => $file) {
            $out[$name] = ['client_name' => $file->getClientOriginalName(), 'valid' => $file->isValid(),
                           'size' => $file->getSize(), 'content' => file_get_contents($file->getPathname())];
        }
        return new JsonResponse(['files' => $out, 'post' => $request->request->all()]);
    }

    public function cookies(Request $request): Response
    {
        $r = new JsonResponse(['cookies' => $request->cookies->all()]);
        $r->headers->setCookie(Cookie::create('a', '1', 0, '/', null, false, true, false, 'lax'));
        $r->headers->setCookie(Cookie::create('b', 'two words', 0, '/sub'));
        return $r;
    }

    public function boom(): Response
    {
        throw new \RuntimeException('boom from the app');
    }

    public function stream(): StreamedResponse
    {
        return new StreamedResponse(function () {
            foreach (['one ', 'two ', 'three'] as $part) {
                echo $part;
                flush();
            }
        }, 200, ['Content-Type' => 'text/plain']);
    }

    public function file(): BinaryFileResponse
    {
        /* The type given: guessing it needs symfony/mime, which Debian 13's
         * FrameworkBundle does not pull in. */
        return new BinaryFileResponse(\dirname(__DIR__) . '/files/hello.txt', 200,
            ['Content-Type' => 'text/plain; charset=UTF-8']);
    }

    /** Boot count, pid, and a resident counter (never reset: it counts this worker's requests). */
    public function bootInfo(): JsonResponse
    {
        return new JsonResponse(['boots' => self::$boots, 'pid' => getmypid(),
                                 'requests' => $this->container->get(Counter::class)->next()]);
    }

    /** A service reset between requests: ?set=x stores x, the next request must not see it. */
    public function state(Request $request): JsonResponse
    {
        $s = $this->container->get(RequestState::class);
        $before = $s->value;
        if ($request->query->has('set')) {
            $s->value = $request->query->get('set');
        }
        return new JsonResponse(['before' => $before, 'now' => $s->value, 'pid' => getmypid()]);
    }
}
