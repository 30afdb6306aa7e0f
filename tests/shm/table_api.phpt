--TEST--
Tide\Table: typed columns, set/get/exists/del/count, incr/decr (creating the row at 0), binary keys of up to 63 bytes, foreach and count(); a table of $size rows takes $size random keys, then set() is false with a warning naming its size; bad column names, types, lengths and keys are ValueErrors, use before create() or column() after it a Tide\Exception; getMemorySize() and stats() say what a row costs
--FILE--
<?php
use Tide\Table;

function err(callable $f): void
{
    try {
        $f();
        echo "no error\n";
    } catch (Throwable $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
}

$t = new Table(100);
echo "size: ", $t->getSize(), "\n";
err(fn() => $t->set('x', ['a' => 1]));
var_dump($t->column('id', Table::TYPE_INT), $t->column('score', Table::TYPE_FLOAT),
         $t->column('name', Table::TYPE_STRING, 8));
err(fn() => $t->column('id', Table::TYPE_INT));
err(fn() => $t->column('bad', 7));
err(fn() => $t->column('s', Table::TYPE_STRING));
err(fn() => $t->column(str_repeat('c', 64), Table::TYPE_INT));
echo "memory before create: ", $t->getMemorySize(), "\n";
var_dump($t->create());
err(fn() => $t->column('late', Table::TYPE_INT));
var_dump($t->set('alice', ['id' => 1, 'score' => 9.5, 'name' => 'Alice']));
var_dump($t->get('alice'), $t->get('alice', 'name'), $t->get('nobody'), $t->exists('alice'), $t->exist('bob'));
err(fn() => $t->get('alice', 'age'));
err(fn() => $t->set('alice', ['age' => 3]));
err(fn() => $t->set('alice', ['name' => 'Alexandria']));
err(fn() => $t->set(str_repeat('k', 64), ['id' => 1]));
err(fn() => $t->incr('alice', 'name'));
$bin = "\0key\xff";
var_dump($t->set($bin, ['id' => 2]), $t->get($bin, 'id'), $t->exists("\0key"));
var_dump($t->set('alice', ['score' => 1.25]), $t->get('alice'));
var_dump($t->incr('hits', 'id'), $t->incr('hits', 'id', 10), $t->decr('hits', 'id', 3), $t->incr('hits', 'score', 0.5), $t->decr('hits', 'score'));
var_dump(count($t), $t->count(), $t->del('hits'), $t->del('hits'), count($t));
$rows = [];
foreach ($t as $k => $row) {
    $rows[bin2hex($k)] = $row['id'];
}
ksort($rows);
var_dump($rows);

// a full table: 128 rows take 128 random keys
$f = new Table(128);
$f->column('v', Table::TYPE_INT);
$f->create();
$ok = 0;
for ($i = 0; $i < 128; $i++) {
    $ok += $f->set(pack('N', $i) . random_bytes(random_int(1, 59)), ['v' => $i]) ? 1 : 0;
}
echo "random keys taken: $ok of 128, count ", count($f), "\n";
var_dump($f->set('one more', ['v' => 1]));
var_dump($f->incr('one more', 'v'));
$st = $f->stats();
echo "stats: num {$st['num']}, available {$st['available_slice_num']}, failed sets {$st['set_fail_count']}, row {$st['row_size']} bytes, memory {$st['memory_size']}\n";
$n = 0;
foreach ($f as $k => $row) {
    $n++;
}
echo "foreach: $n rows\n";
err(fn() => new Table(0));
err(fn() => new Table(1 << 31));
?>
--EXPECTF--
size: 128
Tide\Exception: Tide\Table::set(): the table is not created yet (call create() first)
bool(true)
bool(true)
bool(true)
ValueError: Tide\Table::column(): Argument #1 ($name) names a column the table has already ('id')
ValueError: Tide\Table::column(): Argument #2 ($type) must be Tide\Table::TYPE_INT, TYPE_FLOAT or TYPE_STRING, 7 given
ValueError: Tide\Table::column(): Argument #3 ($size) must be between 1 and 1048576 bytes for a TYPE_STRING column ('s'), 0 given
ValueError: Tide\Table::column(): Argument #1 ($name) must be a column name of 1 to 63 bytes, 64 given
memory before create: %d
bool(true)
Tide\Exception: Tide\Table::column(): the table is created already: its columns are fixed
bool(true)
array(3) {
  ["id"]=>
  int(1)
  ["score"]=>
  float(9.5)
  ["name"]=>
  string(5) "Alice"
}
string(5) "Alice"
bool(false)
bool(true)
bool(false)
ValueError: Tide\Table::get(): Argument #2 ($field) names no column of the table ('age')
ValueError: Tide\Table::set(): Argument #2 ($value) names no column of the table ('age')
ValueError: Tide\Table::set(): Argument #2 ($value) holds 10 bytes for column 'name', which holds 8
ValueError: Tide\Table::set(): Argument #1 ($key) must be a key of at most 63 bytes, 64 given
ValueError: Tide\Table::incr(): Argument #2 ($column) is a TYPE_STRING column ('name'): only numbers count
bool(true)
int(2)
bool(false)
bool(true)
array(3) {
  ["id"]=>
  int(1)
  ["score"]=>
  float(1.25)
  ["name"]=>
  string(5) "Alice"
}
int(1)
int(11)
int(8)
float(0.5)
float(-0.5)
int(3)
int(3)
bool(true)
bool(false)
int(2)
array(2) {
  ["006b6579ff"]=>
  int(2)
  ["616c696365"]=>
  int(1)
}
random keys taken: 128 of 128, count 128

Warning: Tide\Table::set(): the table is full: its 128 rows are taken in %s on line %d
bool(false)

Warning: Tide\Table::incr(): the table is full: its 128 rows are taken in %s on line %d
bool(false)
stats: num 128, available 0, failed sets 2, row 88 bytes, memory %d
foreach: 128 rows
ValueError: Tide\Table::__construct(): Argument #1 ($size) must be between 1 and 1073741824 rows, 0 given
ValueError: Tide\Table::__construct(): Argument #1 ($size) must be between 1 and 1073741824 rows, 2147483648 given
