#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Builds a CycloneDX 1.6 JSON SBOM of N components from real package names and versions, for scan benchmarks.

Usage: make-scan-sbom.py N OUT.json [--seed S] [--vulndb DIR] [--lockfiles DIR]

Where the names and versions come from (all offline, under ../shared):
  * the real lockfiles in corpora/lockfiles (npm package-lock/yarn/pnpm, pip requirements, Pipfile.lock, poetry.lock,
    uv.lock, Cargo.lock, Gemfile.lock, composer.lock, go.sum, NuGet packages.lock.json and Directory.Packages.props,
    gradle.lockfile): what real projects install, mostly not vulnerable;
  * the OSV records in vulndb/osv/<Ecosystem>/all.zip: every affected[].versions entry and every introduced / fixed /
    last_affected event of ECOSYSTEM and SEMVER ranges, so the SBOM holds both vulnerable and fixed versions;
  * vulndb/malicious/<Ecosystem>/all.zip affected[].versions: a reserve, drawn on only when an ecosystem's other
    sources are used up (at 100k components), since a real SBOM holds few malicious packages.

The mix (share of N): npm 25%, PyPI 20%, Maven 10%, Go 10%, deb 12%, NuGet 6%, crates.io 6%, RubyGems 5%, Packagist 6%.
An ecosystem with too few real pairs gives its share to the others. Debian packages are the source packages OSV names
with the versions its records state, as pkg:deb/debian/NAME@VERSION?arch=amd64&distro=debian-12 or debian-11 (the
offline Debian data predates bookworm, so the -12 versions are real Debian versions of other releases).
Deterministic: the same inputs and seed give byte-identical output. Fails if the sources hold fewer than N pairs.
"""
import argparse
import json
import os
import random
import re
import sys
import tomllib
import urllib.parse
import uuid
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.normpath(os.path.join(HERE, "..", "..", "shared"))

MIX = [("npm", 25), ("PyPI", 20), ("Maven", 10), ("Go", 10), ("Debian", 12), ("NuGet", 6), ("crates.io", 6),
       ("RubyGems", 5), ("Packagist", 6)]


def osv_pairs(zip_path, ecosystem, ranges=True):
    """(name, version, osv ecosystem) from every record in one all.zip, for affected entries of the ecosystem."""
    out = set()
    if not os.path.exists(zip_path):
        return out
    with zipfile.ZipFile(zip_path) as z:
        for info in z.infolist():
            rec = json.loads(z.read(info))
            for a in rec.get("affected") or []:
                pkg = a.get("package") or {}
                eco, name = pkg.get("ecosystem", ""), pkg.get("name")
                if not name or eco.split(":")[0] != ecosystem:
                    continue
                versions = set(a.get("versions") or [])
                if ranges:
                    for r in a.get("ranges") or []:
                        if r.get("type") not in ("ECOSYSTEM", "SEMVER"):
                            continue
                        for ev in r.get("events") or []:
                            for k in ("introduced", "fixed", "last_affected"):
                                v = ev.get(k)
                                if v and v != "0":
                                    versions.add(v)
                for v in versions:
                    out.add((name, v, eco))
    return out


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def lockfile_pairs(root):
    """(ecosystem, name, version) from the real lockfiles."""
    pairs = set()

    def add(eco, name, version):
        if name and version:
            pairs.add((eco, name.strip(), version.strip()))

    for dirpath, _, files in os.walk(root):
        for fn in files:
            p = os.path.join(dirpath, fn)
            if fn == "package-lock.json":
                for key, v in json.loads(read(p)).get("packages", {}).items():
                    if "node_modules/" in key and not v.get("link"):
                        add("npm", key.rsplit("node_modules/", 1)[1], v.get("version"))
            elif fn == "yarn.lock":
                text = read(p)
                # yarn v1: `name@range, name@range:` then `  version "1.2.3"`; berry: `"name@npm:range":` then `  version: 1.2.3`
                for m in re.finditer(r'^"?((?:@[^@/\s"]+/)?[^@\s",]+)@[^\n]*:\n(?:  [^\n]*\n)*?  version:? "?([^"\s]+)"?', text, re.M):
                    add("npm", m.group(1), m.group(2))
            elif fn == "pnpm-lock.yaml":
                for m in re.finditer(r"^  '?/?((?:@[^@/\s']+/)?[^@\s'/]+)@(\d[^:'\s(]*)'?:", read(p), re.M):
                    add("npm", m.group(1), m.group(2))
            elif fn == "requirements.txt":
                for m in re.finditer(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", read(p), re.M):
                    add("PyPI", m.group(1), m.group(2))
            elif fn == "Pipfile.lock":
                doc = json.loads(read(p))
                for section in ("default", "develop"):
                    for name, v in (doc.get(section) or {}).items():
                        if isinstance(v, dict) and str(v.get("version", "")).startswith("=="):
                            add("PyPI", name, v["version"][2:])
            elif fn in ("poetry.lock", "uv.lock", "Cargo.lock"):
                eco = "crates.io" if fn == "Cargo.lock" else "PyPI"
                for pkg in tomllib.loads(read(p)).get("package", []):
                    if eco == "crates.io" and "source" not in pkg:
                        continue   # a workspace crate, not from crates.io
                    if fn == "uv.lock" and "registry" not in (pkg.get("source") or {}):
                        continue   # the project itself (editable / virtual)
                    add(eco, pkg.get("name"), pkg.get("version"))
            elif fn == "Gemfile.lock":
                for m in re.finditer(r"^    ([A-Za-z0-9_.-]+) \(([0-9][^)\s-]*)(?:-[^)]*)?\)$", read(p), re.M):
                    add("RubyGems", m.group(1), m.group(2))
            elif fn == "composer.lock":
                doc = json.loads(read(p))
                for pkg in (doc.get("packages") or []) + (doc.get("packages-dev") or []):
                    add("Packagist", pkg.get("name"), pkg.get("version"))
            elif fn == "go.sum":
                for line in read(p).splitlines():
                    parts = line.split()
                    if len(parts) == 3:
                        add("Go", parts[0], parts[1].removesuffix("/go.mod"))
            elif fn == "packages.lock.json":
                for deps in json.loads(read(p)).get("dependencies", {}).values():
                    for name, v in deps.items():
                        if v.get("type") != "Project":
                            add("NuGet", name, v.get("resolved"))
            elif fn == "Directory.Packages.props":
                for m in re.finditer(r'<PackageVersion\s+Include="([^"]+)"\s+Version="([^"]+)"', read(p)):
                    add("NuGet", m.group(1), m.group(2))
            elif fn == "gradle.lockfile":
                for line in read(p).splitlines():
                    m = re.match(r"^([^#:\s]+):([^:\s]+):([^=\s]+)=", line)
                    if m:
                        add("Maven", f"{m.group(1)}:{m.group(2)}", m.group(3))
    return pairs


def q(s):
    return urllib.parse.quote(s, safe="")


def purl(eco, name, version, distro=None):
    if eco == "npm":
        if name.startswith("@") and "/" in name:
            scope, bare = name.split("/", 1)
            return f"pkg:npm/{q(scope.lower())}/{q(bare.lower())}@{q(version)}"
        return f"pkg:npm/{q(name.lower())}@{q(version)}"
    if eco == "PyPI":
        return f"pkg:pypi/{q(re.sub(r'[-_.]+', '-', name).lower())}@{q(version)}"
    if eco == "Maven":
        group, artifact = name.split(":", 1)
        return f"pkg:maven/{q(group)}/{q(artifact)}@{q(version)}"
    if eco == "Go":
        ns, _, bare = name.rpartition("/")
        v = version if version.startswith("v") else "v" + version
        return f"pkg:golang/{'/'.join(q(s) for s in ns.split('/'))}/{q(bare)}@{q(v)}" if ns else f"pkg:golang/{q(bare)}@{q(v)}"
    if eco == "NuGet":
        return f"pkg:nuget/{q(name)}@{q(version)}"
    if eco == "crates.io":
        return f"pkg:cargo/{q(name)}@{q(version)}"
    if eco == "RubyGems":
        return f"pkg:gem/{q(name)}@{q(version)}"
    if eco == "Packagist":
        vendor, _, bare = name.lower().partition("/")
        return f"pkg:composer/{q(vendor)}/{q(bare)}@{q(version)}" if bare else f"pkg:composer/{q(vendor)}@{q(version)}"
    if eco == "Debian":
        return f"pkg:deb/debian/{q(name.lower())}@{q(version)}?arch=amd64&distro={distro}"
    raise ValueError(eco)


def component(eco, name, version, distro):
    p = purl(eco, name, version, distro)
    c = {"type": "library", "bom-ref": p}
    if eco == "Maven":
        c["group"], c["name"] = name.split(":", 1)
    else:
        c["name"] = name
    c["version"] = version if eco != "Go" or version.startswith("v") or name == "stdlib" else "v" + version
    c["purl"] = p
    return c


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=4)
    ap.add_argument("--vulndb", default=os.path.join(SHARED, "vulndb"))
    ap.add_argument("--lockfiles", default=os.path.join(SHARED, "corpora", "lockfiles"))
    args = ap.parse_args()
    rng = random.Random(args.seed)

    locked = lockfile_pairs(args.lockfiles)
    pools, reserves = {}, {}
    for eco, _ in MIX:
        if eco == "Debian":
            # one Debian pair per release it is put in: debian-11 and debian-12 are different packages to the matcher
            base = sorted((n, v) for n, v, _ in osv_pairs(os.path.join(args.vulndb, "osv", "Debian", "all.zip"), "Debian"))
            pool, reserve = [(n, v, d) for n, v in base for d in ("debian-12", "debian-11")], []
        else:
            pool = {(n, v) for e, n, v in locked if e == eco}
            pool |= {(n, v) for n, v, _ in osv_pairs(os.path.join(args.vulndb, "osv", eco, "all.zip"), eco)}
            reserve = {(n, v) for n, v, _ in osv_pairs(os.path.join(args.vulndb, "malicious", eco, "all.zip"), eco, ranges=False)}
            pool, reserve = [(n, v, None) for n, v in sorted(pool)], [(n, v, None) for n, v in sorted(reserve)]
        if eco == "Maven":
            pool = [x for x in pool if ":" in x[0]]
            reserve = [x for x in reserve if ":" in x[0]]
        # one entry per purl (PyPI Foo_Bar and foo-bar are one package); the reserve only holds what the pool lacks
        pool = list({purl(eco, *x): x for x in pool}.values())
        taken = {purl(eco, *x) for x in pool}
        reserve = [x for p, x in {purl(eco, *x): x for x in reserve}.items() if p not in taken]
        rng.shuffle(pool)
        rng.shuffle(reserve)
        pools[eco], reserves[eco] = pool, reserve

    # each ecosystem's share from its own real pairs; a shortfall is made up round-robin from the other ecosystems'
    # pairs, and only then from the malicious reserve
    total = sum(w for _, w in MIX)
    chosen = {eco: pools[eco][: args.n * w // total] for eco, w in MIX}
    for eco, _ in MIX:
        pools[eco] = pools[eco][len(chosen[eco]):]
    missing = args.n - sum(len(c) for c in chosen.values())
    for source in (pools, reserves):
        while missing > 0 and any(source[e] for e, _ in MIX):
            for eco, _ in MIX:
                if missing > 0 and source[eco]:
                    chosen[eco].append(source[eco].pop())
                    missing -= 1
    if missing > 0:
        sys.exit(f"make-scan-sbom: the sources hold only {args.n - missing} distinct real packages, fewer than the {args.n} asked for")
    components = sorted((component(eco, *x) for eco, _ in MIX for x in chosen[eco]), key=lambda c: c["purl"])

    serial = uuid.uuid5(uuid.NAMESPACE_URL, f"bulwark-bench-scan-{args.n}-{args.seed}")
    bom = {
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": f"urn:uuid:{serial}",
        "version": 1,
        "metadata": {
            "timestamp": "2026-01-01T00:00:00Z",
            "tools": {"components": [{"type": "application", "name": "make-scan-sbom.py", "version": "1"}]},
            "component": {"type": "application", "bom-ref": "bench-app", "name": f"bench-app-{args.n}", "version": "1.0.0"},
        },
        "components": [{"type": "operating-system", "bom-ref": "os:debian@12", "name": "debian", "version": "12"}] + components,
        "dependencies": [{"ref": "bench-app", "dependsOn": [c["bom-ref"] for c in components]}],
    }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(bom, f, indent=1, ensure_ascii=False)
        f.write("\n")
    counts = {}
    for c in components:
        t = c["purl"][4:].split("/", 1)[0]
        counts[t] = counts.get(t, 0) + 1
    print(f"{args.out}: {len(components)} components " + " ".join(f"{k}={v}" for k, v in sorted(counts.items())), file=sys.stderr)


if __name__ == "__main__":
    main()
