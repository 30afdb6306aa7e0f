<?php
/*
 * What composer's vendor/autoload.php would be for this app, from Debian's packages: each
 * php-symfony-* package ships an autoload.php under /usr/share/php (PHP's default
 * include_path on Debian) that registers its classes and requires its dependencies'.
 * The app's own classes (App\...) are found in src/ (PSR-4).
 */
require_once '/usr/share/php/Symfony/Bundle/FrameworkBundle/autoload.php';
require_once '/usr/share/php/Symfony/Component/HttpKernel/autoload.php';
if (is_file('/usr/share/php/Symfony/Component/Runtime/autoload.php')) {
    require_once '/usr/share/php/Symfony/Component/Runtime/autoload.php';
}

if (!class_exists('Composer\\InstalledVersions')) {
    require __DIR__ . '/InstalledVersions.php';
}

spl_autoload_register(static function (string $class): void {
    if (str_starts_with($class, 'App\\')) {
        $file = __DIR__ . '/src/' . str_replace('\\', '/', substr($class, 4)) . '.php';
        if (is_file($file)) {
            require $file;
        }
    }
});
