<?php
namespace App;

class RequestState
{
    public ?string $value = null;
}
