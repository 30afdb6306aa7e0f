<?php
namespace Composer;

/* Symfony 6 (Debian 13's packages) asks Composer 2's runtime API whether a package is
 * installed (ContainerBuilder::willBeAvailable()) and refuses to guess without it. There
 * is no composer here: every package is a Debian package, installed for production
 * (but not the monolithic symfony/symfony, which Debian does not ship). */
class InstalledVersions
{
    public static function isInstalled(string $packageName, bool $includeDevRequirements = true): bool
    {
        return $packageName !== 'symfony/symfony';
    }

    public static function getRootPackage(): array
    {
        return ['name' => 'tide/symfony-test-app'];
    }
}
