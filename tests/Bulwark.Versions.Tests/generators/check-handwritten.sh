#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Checks the hand-written testdata/{maven,rubygems,composer}.txt against each ecosystem's own implementation
# (the same tools as the generators); prints every line the tool disagrees with. No output means all agree.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
td="$here/../testdata"
cp="/usr/share/java/maven-artifact-3.x.jar:/usr/share/java/commons-lang3.jar"
lines() { grep -v '^#' "$1" | grep -v '^ *$'; }
lines "$td/maven.txt" | while read -r a op b; do
  out=$(java -cp "$cp" org.apache.maven.artifact.versioning.ComparableVersion "$a" "$b" | sed -n 3p | awk '{print $2}')
  [ "$out" = "$op" ] || [ "$op" = "=" -a "$out" = "==" ] || echo "maven.txt: $a $op $b (Maven says $out)"
done
lines "$td/rubygems.txt" | ruby -e '
STDIN.each_line { |l| a, op, b = l.split
  ok = Gem::Version.correct?(a) && Gem::Version.correct?(b)
  c = ok ? (Gem::Version.new(a) <=> Gem::Version.new(b)) : nil
  got = c.nil? ? "invalid" : c < 0 ? "<" : c == 0 ? "=" : ">"
  puts "rubygems.txt: #{l.chomp} (RubyGems says #{got})" unless got == op }'
lines "$td/composer.txt" | php -r '
require "/usr/share/php/Composer/Semver/autoload.php";
$p = new Composer\Semver\VersionParser();
while (($l = fgets(STDIN)) !== false) { [$a, $op, $b] = preg_split("/ +/", trim($l));
  $na = $p->normalize($a); $nb = $p->normalize($b);
  $got = version_compare($na, $nb); $got = $got < 0 ? "<" : ($got == 0 ? "=" : ">");
  if ($got !== $op) echo "composer.txt: ", trim($l), " (composer/semver says $got: $na vs $nb)\n"; }'
