<?php
// SPDX-License-Identifier: Apache-2.0
// Normalises versions (one a line on stdin) with composer/semver's VersionParser and sorts them with its Comparator.
// argv[1] = "order": adjacent pairs "A < B" / "A = B"; argv[1] = "normalize": "TEXT NORMALISED" lines.
// Versions VersionParser rejects are skipped (and listed as "TEXT !" in normalize mode).
// Branches (dev-*) are left out of the order: Comparator never orders two branches (only == on identical names).
require '/usr/share/php/Composer/Semver/autoload.php';
use Composer\Semver\Comparator;
use Composer\Semver\VersionParser;

$parser = new VersionParser();
$texts = array_values(array_unique(array_filter(array_map('trim', file('php://stdin')), 'strlen')));
sort($texts, SORT_STRING);
$mode = $argv[1] ?? 'order';
$items = [];
foreach ($texts as $t) {
    try { $n = $parser->normalize($t); } catch (UnexpectedValueException $e) { if ($mode === 'normalize') echo "$t !\n"; continue; }
    if ($mode === 'normalize') { echo "$t $n\n"; continue; }
    if (strpos($n, 'dev-') === 0 || preg_match('/\s/', $t)) continue; // comparison lines are space-separated
    $items[] = [$n, $t];
}
if ($mode === 'normalize') exit(0);
$cmp = function ($a, $b) {
    if (Comparator::lessThan($a[0], $b[0])) return -1;
    if (Comparator::greaterThan($a[0], $b[0])) return 1;
    return strcmp($a[1], $b[1]);
};
usort($items, $cmp);
for ($i = 1; $i < count($items); $i++) {
    [$na, $a] = $items[$i - 1];
    [$nb, $b] = $items[$i];
    $op = Comparator::lessThan($na, $nb) ? '<' : (Comparator::equalTo($na, $nb) ? '=' : '>');
    echo "$a $op $b\n";
}
