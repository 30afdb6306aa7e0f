<?php
namespace App;

use Illuminate\Http\Request;

/* Octane's well-known trap: a singleton that took the request when it was made. */
class Greeter
{
    public function __construct(public Request $request)
    {
    }

    public function path(): string
    {
        return $this->request->path();
    }
}
