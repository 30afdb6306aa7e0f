<?php
namespace App;

use Symfony\Contracts\Service\ResetInterface;

/* Per-request state: reset by the kernel's services_resetter before the next request. */
class RequestState implements ResetInterface
{
    public ?string $value = null;

    public function reset(): void
    {
        $this->value = null;
    }
}
