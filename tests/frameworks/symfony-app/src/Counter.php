<?php
namespace App;

/* A service that keeps its state for the life of the worker (not reset between requests). */
class Counter
{
    private int $n = 0;

    public function next(): int
    {
        return ++$this->n;
    }
}
