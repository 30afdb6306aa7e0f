<?php
/* The app's front controller under php-fpm (as Laravel 8's public/index.php, without the
 * maintenance-mode check); examples/octane.php uses bootstrap/app.php instead. */
$app = require_once __DIR__ . '/../bootstrap/app.php';
$kernel = $app->make(Illuminate\Contracts\Http\Kernel::class);
$response = $kernel->handle($request = Illuminate\Http\Request::capture());
$response->send();
$kernel->terminate($request, $response);
