--TEST--
Tide\Atomic, Tide\Atomic\Long and Tide\Lock: a value outside 0..2^32-1 for Atomic, an unknown lock type, a lock operation other than LOCK_EX/LOCK_SH (| LOCK_NB) and wakeup(0) are ValueErrors naming the argument; Atomic wraps modulo 2^32 and Long as a 64-bit integer; the objects cannot be cloned or serialized; Lock's constants have Swoole's values
--EXTENSIONS--
tide
--FILE--
<?php
$try = function (callable $f) {
    try {
        $f();
        echo "no error\n";
    } catch (Throwable $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
};
$a = new Tide\Atomic(4294967295);
$try(fn() => new Tide\Atomic(-1));
$try(fn() => new Tide\Atomic(4294967296));
$try(fn() => $a->set(-5));
$try(fn() => $a->add(-1));
$try(fn() => $a->cmpset(0, 1 << 32));
$try(fn() => $a->wakeup(0));
$try(fn() => new Tide\Lock(2));
$try(fn() => (new Tide\Lock())->lock(LOCK_UN));
$try(fn() => clone $a);
$try(fn() => serialize(new Tide\Lock()));
$try(fn() => unserialize('O:11:"Tide\Atomic":0:{}'));
var_dump($a->add(2), $a->sub(3), $a->cmpset(4294967295, 7), $a->get());
$l = new Tide\Atomic\Long(PHP_INT_MAX);
var_dump($l->add(), $l->sub(2), $l->cmpset(PHP_INT_MAX, -1), $l->get());
var_dump([Tide\Lock::MUTEX, Tide\Lock::RWLOCK, Tide\Lock::SPINLOCK]);
?>
--EXPECT--
ValueError: Tide\Atomic::__construct(): Argument #1 ($value) must be between 0 and 4294967295 (Tide\Atomic is 32-bit unsigned; Tide\Atomic\Long is 64-bit), -1 given
ValueError: Tide\Atomic::__construct(): Argument #1 ($value) must be between 0 and 4294967295 (Tide\Atomic is 32-bit unsigned; Tide\Atomic\Long is 64-bit), 4294967296 given
ValueError: Tide\Atomic::set(): Argument #1 ($v) must be between 0 and 4294967295 (Tide\Atomic is 32-bit unsigned; Tide\Atomic\Long is 64-bit), -5 given
ValueError: Tide\Atomic::add(): Argument #1 ($n) must be between 0 and 4294967295 (Tide\Atomic is 32-bit unsigned; Tide\Atomic\Long is 64-bit), -1 given
ValueError: Tide\Atomic::cmpset(): Argument #2 ($new) must be between 0 and 4294967295 (Tide\Atomic is 32-bit unsigned; Tide\Atomic\Long is 64-bit), 4294967296 given
ValueError: Tide\Atomic::wakeup(): Argument #1 ($n) must be between 1 and 2147483647, 0 given
ValueError: Tide\Lock::__construct(): Argument #1 ($type) must be Tide\Lock::MUTEX, Tide\Lock::RWLOCK or Tide\Lock::SPINLOCK, 2 given
ValueError: Tide\Lock::lock(): Argument #1 ($operation) must be LOCK_EX or LOCK_SH, optionally | LOCK_NB, 3 given
Error: Trying to clone an uncloneable object of class Tide\Atomic
Exception: Serialization of 'Tide\Lock' is not allowed
Exception: Unserialization of 'Tide\Atomic' is not allowed
int(1)
int(4294967294)
bool(false)
int(4294967294)
int(-9223372036854775808)
int(9223372036854775806)
bool(false)
int(9223372036854775806)
array(3) {
  [0]=>
  int(3)
  [1]=>
  int(1)
  [2]=>
  int(5)
}
