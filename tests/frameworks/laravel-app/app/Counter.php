<?php
namespace App;

class Counter
{
    private int $n = 0;

    public function next(): int
    {
        return ++$this->n;
    }
}
