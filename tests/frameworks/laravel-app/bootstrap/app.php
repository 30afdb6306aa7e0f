<?php
/*
 * A minimal Laravel 8 app from Debian's php-laravel-framework, without composer: what
 * vendor/autoload.php would do is Debian's /usr/share/php/Illuminate/autoload.php (every
 * illuminate/* package and its dependencies) plus a PSR-4 loader for App\ in app/.
 * Laravel boots without composer's vendor/ folder: PackageManifest finds no
 * vendor/composer/installed.json and discovers no packages, which is what we want.
 * The writable paths (storage, bootstrap/cache files) go to APP_VAR_DIR (default: a
 * folder in the system's temporary directory) so that the app's own folder may be
 * read-only.
 */
require_once '/usr/share/php/Illuminate/autoload.php';

spl_autoload_register(static function (string $class): void {
    if (str_starts_with($class, 'App\\')) {
        $file = dirname(__DIR__) . '/app/' . str_replace('\\', '/', substr($class, 4)) . '.php';
        if (is_file($file)) {
            require $file;
        }
    }
});

$var = $_SERVER['APP_VAR_DIR'] ?? getenv('APP_VAR_DIR') ?: sys_get_temp_dir() . '/tide-laravel-app';
foreach (['', '/cache', '/storage', '/storage/logs', '/storage/framework'] as $d) {
    is_dir($var . $d) || @mkdir($var . $d, 0777, true);
}
foreach (['SERVICES', 'PACKAGES', 'CONFIG', 'ROUTES', 'EVENTS'] as $what) {
    $_SERVER["APP_{$what}_CACHE"] ??= "$var/cache/" . strtolower($what) . '.php';
}

$app = new Illuminate\Foundation\Application(dirname(__DIR__));
$app->useStoragePath("$var/storage");

$app->singleton(Illuminate\Contracts\Http\Kernel::class, App\Http\Kernel::class);
$app->singleton(Illuminate\Contracts\Console\Kernel::class, Illuminate\Foundation\Console\Kernel::class);
$app->singleton(Illuminate\Contracts\Debug\ExceptionHandler::class, App\Exceptions\Handler::class);

return $app;
