<?php
/*
 * The app's front controller, as Symfony's skeleton writes it (Symfony Runtime's
 * convention: return a closure that makes the kernel). With composer it would start
 * with require_once dirname(__DIR__).'/vendor/autoload_runtime.php'; here
 * autoload_runtime.php is a hand-written equivalent of that generated file.
 *
 *   php -d extension=tide examples/symfony_runtime.php tests/frameworks/symfony-app/public/index.php
 *   APP_RUNTIME='Tide\Symfony\Runtime' php -d extension=tide \
 *       -d auto_prepend_file=examples/symfony_runtime.php tests/frameworks/symfony-app/public/index.php
 */
use App\Kernel;

require_once dirname(__DIR__) . '/autoload_runtime.php';

return function (array $context) {
    return new Kernel($context['APP_ENV'], (bool) $context['APP_DEBUG']);
};
