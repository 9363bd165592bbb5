# SPDX-License-Identifier: Apache-2.0
# Prints synthetic versions that combine each scheme's rules (numbers, separators, qualifiers, suffixes), so the
# generated comparison files exercise every rule against the ecosystem's own implementation, not only real versions.
# Usage: python3 probes.py Maven|RubyGems|Packagist
import itertools, sys
eco = sys.argv[1]
out = set()
if eco == "Maven":
    bases = ["1", "1.0", "1.0.0", "1.1", "1-1", "2", "0"]
    seps = [".", "-", ""]
    quals = ["alpha", "a", "beta", "b", "milestone", "m", "rc", "cr", "snapshot", "ga", "final", "release",
             "sp", "foo", "jre", "RC", "Final", "SNAPSHOT", "x"]
    suffixes = ["", "1", ".1", "-1", "2", "-0", ".0", "10"]
    for b, s, q, x in itertools.product(bases, seps, quals, suffixes):
        out.add(b + s + q + x)
elif eco == "RubyGems":
    bases = ["1", "1.0", "1.0.0", "1.1", "0", "2", "1.01"]
    seps = [".", "-"]
    quals = ["a", "alpha", "b", "beta", "pre", "rc", "A", "Z", "dev", "0", "1", "x"]
    suffixes = ["", "1", ".1", ".0", "-1", "2", "10", ".a"]
    for b, s, q, x in itertools.product(bases, seps, quals, suffixes):
        out.add(b + s + q + x)
elif eco == "Packagist":
    bases = ["1", "1.0", "1.0.0", "v1.0.0", "1.0.0.0", "1.1", "2", "0.9"]
    seps = ["-", ".", "_", ""]
    quals = ["dev", "alpha", "a", "beta", "b", "RC", "rc", "stable", "patch", "pl", "p", "Beta", ""]
    suffixes = ["", "1", ".1", "-1", "2", "10", "-dev", ".dev"]
    for b, s, q, x in itertools.product(bases, seps, quals, suffixes):
        out.add(b + s + q + x)
    for b in ["1", "1.0", "1.x", "1.0.x", "1.*", "2.X", "v1.x"]:
        out.update([b + "-dev", b + ".dev"])
for v in sorted(out):
    print(v)
