# SPDX-License-Identifier: Apache-2.0
# Prints the versions named in the shared lockfile corpus for one ecosystem, one a line.
# Usage: python3 corpus_versions.py Maven|RubyGems|Packagist|NuGet [CORPORA_DIR]
import json, os, re, sys
eco = sys.argv[1]
root = sys.argv[2] if len(sys.argv) > 2 else "/work/shared/corpora"
files = {"Maven": ("gradle.lockfile", "pom.xml"), "RubyGems": ("Gemfile.lock",),
         "Packagist": ("composer.lock",), "NuGet": ("packages.lock.json",)}[eco]
out = set()
for d, _, names in os.walk(os.path.join(root, "lockfiles")):
    for n in names:
        if n not in files: continue
        text = open(os.path.join(d, n), encoding="utf-8", errors="replace").read()
        if n == "gradle.lockfile":
            out.update(m.group(1) for m in re.finditer(r"^[^#\s:]+:[^:\s]+:([^=\s]+)=", text, re.M))
        elif n == "pom.xml":
            out.update(v for v in re.findall(r"<version>([^<$]+)</version>", text))
        elif n == "Gemfile.lock":
            out.update(m.group(1) for m in re.finditer(r"^    [A-Za-z0-9_.-]+ \(([0-9][^)-]*?)(?:-[a-z0-9_]+-[a-z0-9_]+)?\)$", text, re.M))
        elif n == "composer.lock":
            for section in ("packages", "packages-dev"):
                out.update(p["version"] for p in json.loads(text).get(section, []) if "version" in p)
        elif n == "packages.lock.json":
            for deps in json.loads(text).get("dependencies", {}).values():
                out.update(p["resolved"] for p in deps.values() if "resolved" in p)
for v in sorted(out):
    if v and v.strip() == v and " " not in v: print(v)
