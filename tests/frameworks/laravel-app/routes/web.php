<?php
use App\Counter;
use App\Greeter;
use App\Providers\AppServiceProvider;
use App\RequestState;
use Illuminate\Http\JsonResponse;
use Illuminate\Http\Request;
use Illuminate\Http\Response;
use Illuminate\Support\Facades\Route;
use Symfony\Component\HttpFoundation\Cookie;
use Symfony\Component\HttpFoundation\StreamedResponse;

Route::get('/hello', fn (Request $r) => new Response('Hello, ' . $r->query('name', 'world') . '!', 200,
    ['Content-Type' => 'text/plain; charset=utf-8', 'X-Answer' => '42']));

Route::any('/echo', fn (Request $r) => [
    'method' => $r->method(), 'uri' => $r->getRequestUri(), 'path' => $r->path(),
    'query' => $r->query(), 'host' => $r->getHost(), 'ip' => $r->ip(),
    'ua' => $r->userAgent(), 'content' => $r->getContent(),
    'request_is_bound' => app('request') === $r,
]);

Route::post('/form', fn (Request $r) => ['post' => $r->post()]);

Route::post('/json', fn (Request $r) => new JsonResponse(['got' => $r->json()->all(), 'all' => $r->all()], 201));

Route::post('/upload', function (Request $r) {
    $f = $r->file('f');
    return ['name' => $f->getClientOriginalName(), 'valid' => $f->isValid(),
            'content' => file_get_contents($f->getRealPath()), 'k' => $r->input('k')];
});

Route::get('/cookies', function (Request $r) {
    $resp = new JsonResponse(['cookies' => $r->cookies->all()]);
    $resp->withCookie(Cookie::create('a', '1'));
    $resp->withCookie(Cookie::create('b', 'two words', 0, '/sub'));
    return $resp;
});

Route::get('/boom', function () {
    throw new RuntimeException('boom from the app');
});

Route::get('/stream', fn () => new StreamedResponse(function () {
    foreach (['one ', 'two ', 'three'] as $part) {
        echo $part;
        flush();
    }
}, 200, ['Content-Type' => 'text/plain']));

Route::get('/boot', fn () => ['boots' => AppServiceProvider::$boots, 'pid' => getmypid(),
                              'requests' => app(Counter::class)->next()]);

Route::get('/state', function (Request $r) {
    $s = app(RequestState::class);
    $before = $s->value;
    if ($r->has('set')) {
        $s->value = $r->query('set');
        app()->instance('per-request', $r->query('set'));
    }
    return ['before' => $before, 'now' => $s->value, 'bound' => app()->bound('per-request'),
            'pid' => getmypid()];
});

Route::get('/trap', fn (Request $r) => ['current' => $r->path(), 'greeter_sees' => app(Greeter::class)->path()]);
