--TEST--
Tide\VERSION is the extension's version as phpversion('tide') reports it
--EXTENSIONS--
tide
--FILE--
<?php
var_dump(Tide\VERSION === phpversion('tide'));
var_dump(preg_match('/^\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?$/', Tide\VERSION));
var_dump((new ReflectionExtension('tide'))->getVersion() === Tide\VERSION);
?>
--EXPECT--
bool(true)
int(1)
bool(true)
