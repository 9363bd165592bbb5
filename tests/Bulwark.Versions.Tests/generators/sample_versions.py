#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Samples real version strings (and npm range specs) for the generated comparator tests.

usage: sample_versions.py ECOSYSTEM OUT.json   (ECOSYSTEM: semver, pep440, go)
Reads the offline OSV zips under /work/shared/vulndb/osv and, for semver, the corpus lockfiles under
/work/shared/corpora/lockfiles. Deterministic: sorted input, fixed seed.
"""
import json, os, random, sys, zipfile

OSV = "/work/shared/vulndb/osv"
CORPUS = "/work/shared/corpora/lockfiles"


def osv_versions(ecosystem):
    found = set()
    with zipfile.ZipFile(os.path.join(OSV, ecosystem, "all.zip")) as z:
        for name in sorted(z.namelist()):
            rec = json.loads(z.read(name))
            for a in rec.get("affected", []):
                found.update(a.get("versions", []))
                for r in a.get("ranges", []):
                    for e in r.get("events", []):
                        for k in ("introduced", "fixed", "last_affected", "limit"):
                            if k in e and e[k] not in ("0", "*"):
                                found.add(e[k])
    return found


def npm_corpus():
    versions, ranges = set(), set()
    for root, _, files in sorted(os.walk(CORPUS)):
        for f in sorted(files):
            if f not in ("package-lock.json", "package.json"):
                continue
            try:
                doc = json.load(open(os.path.join(root, f), encoding="utf-8"))
            except (ValueError, OSError):
                continue
            entries = [doc] + list((doc.get("packages") or {}).values())
            for e in entries:
                if isinstance(e.get("version"), str):
                    versions.add(e["version"])
                for key in ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies"):
                    deps = e.get(key)
                    if isinstance(deps, dict):
                        for spec in deps.values():
                            if isinstance(spec, str) and not any(t in spec for t in (":", "/", "#")):
                                ranges.add(spec)
    return versions, ranges


def main():
    eco, out = sys.argv[1], sys.argv[2]
    rnd = random.Random(4)
    result = {}
    if eco == "semver":
        vs = osv_versions("npm") | osv_versions("crates.io")
        cv, ranges = npm_corpus()
        vs |= cv
        result["versions"] = rnd.sample(sorted(vs), min(3000, len(vs)))
        result["ranges"] = rnd.sample(sorted(ranges), min(400, len(ranges)))
    elif eco == "pep440":
        vs = sorted(osv_versions("PyPI"))
        result["versions"] = rnd.sample(vs, min(3000, len(vs)))
    elif eco == "go":
        vs = sorted(osv_versions("Go"))
        result["versions"] = rnd.sample(vs, min(3000, len(vs)))
    json.dump(result, open(out, "w"), indent=0)
    print(f"{eco}: {len(result['versions'])} versions", file=sys.stderr)


if __name__ == "__main__":
    main()
