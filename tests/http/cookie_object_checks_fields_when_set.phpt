--TEST--
Tide\Http\Cookie: with*() set a field and return the same object, a bad name, raw value or attribute is a ValueError from the with*() that brought it, toString() and toArray() show the fields (an empty value deletes), reset() clears all but encode, a Cookie without a name cannot be written, clone is refused, and rawcookie() takes no Cookie
--EXTENSIONS--
tide
--FILE--
<?php
$c = new Tide\Http\Cookie();
var_dump($c->withName('id') === $c);
echo $c->withValue('a;b c')->withExpires(4102444800)->withPath()->withHttpOnly(true)->withPriority('Low')->toString(), "\n";
echo json_encode($c->toArray(), JSON_UNESCAPED_SLASHES), "\n";
$c->withValue('');
echo $c->toString(), "\n";
$c->reset();
echo json_encode($c->toArray()), "\n";
foreach ([fn() => $c->toString(),
          fn() => $c->withName(''),
          fn() => $c->withName("a\r\nX-Injected: 1"),
          fn() => (new Tide\Http\Cookie(false))->withValue("v;x"),
          fn() => $c->withPath("/a\n"),
          fn() => $c->withSameSite("Lax; x"),
          fn() => clone $c] as $bad) {
    try {
        $bad();
        echo "no error\n";
    } catch (Throwable $e) {
        echo get_class($e), ": ", $e->getMessage(), "\n";
    }
}
/* A raw cookie may hold what encoding would have escaped, except the separators */
echo (new Tide\Http\Cookie(false))->withName('r')->withValue('a+b=')->toString(), "\n";
echo json_encode((new Tide\Http\Cookie(false))->withName('x')->toArray()['encode']), "\n";
$m = new ReflectionMethod('Tide\Http\Response', 'rawcookie');
echo $m->getParameters()[0]->getType(), ' / ', (new ReflectionMethod('Tide\Http\Response', 'cookie'))->getParameters()[0]->getType(), "\n";
?>
--EXPECTF--
bool(true)
id=a%sb+c; expires=Fri, 01 Jan 2100 00:00:00 GMT; Max-Age=%d; path=/; HttpOnly; Priority=Low
{"name":"id","value":"a;b c","path":"/","domain":"","sameSite":"","priority":"Low","encode":true,"expires":4102444800,"secure":false,"httpOnly":true,"partitioned":false}
id=deleted; expires=Thu, 01 Jan 1970 00:00:01 GMT; Max-Age=0; path=/; HttpOnly; Priority=Low
{"name":"","value":"","path":"","domain":"","sameSite":"","priority":"","encode":true,"expires":0,"secure":false,"httpOnly":false,"partitioned":false}
ValueError: Tide\Http\Cookie::toString(): the cookie has no name (call withName() first)
ValueError: Tide\Http\Cookie::withName(): Argument #1 ($name) must not be empty
ValueError: Tide\Http\Cookie::withName(): Argument #1 ($name) must not contain any of "=,; \t\r\n\013\014"
ValueError: Tide\Http\Cookie::withValue(): Argument #1 ($value) must not contain any of ",; \t\r\n\013\014"
ValueError: Tide\Http\Cookie::withPath(): Argument #1 ($path) must not contain any of ",; \t\r\n\013\014"
ValueError: Tide\Http\Cookie::withSameSite(): Argument #1 ($sameSite) must not contain any of ",; \t\r\n\013\014"
Error: Trying to clone an uncloneable object of class Tide\Http\Cookie
r=a+b=
false
string / Tide\Http\Cookie|string
