#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Writes "requirement<TAB>version" pairs for cargoreq: the corpus Cargo.toml requirements and every requirement
syntax built from real crates.io versions (OSV), each with versions near and far from it. Fixed seed."""
import json, os, random, sys, tomllib

sample = json.load(open(sys.argv[1]))
rnd = random.Random(4)
versions = sorted({v for v in sample["versions"] if v.count(".") == 2 and "+" not in v and " " not in v})
reqs = set()
for root, _, files in sorted(os.walk("/work/shared/corpora/lockfiles")):
    if "Cargo.toml" in files:
        doc = tomllib.load(open(os.path.join(root, "Cargo.toml"), "rb"))
        for table in (doc.get("dependencies", {}), doc.get("dev-dependencies", {}), doc.get("workspace", {}).get("dependencies", {})):
            for spec in table.values():
                r = spec if isinstance(spec, str) else spec.get("version") if isinstance(spec, dict) else None
                if r:
                    reqs.add(r)


def cut(v, n):
    return ".".join(v.split("-")[0].split(".")[:n])


for _ in range(400):
    a, b = rnd.choice(versions), rnd.choice(versions)
    n = rnd.randint(1, 3)
    reqs.add(rnd.choice([a, f"^{a}", f"~{a}", f"={a}", f">{a}", f"<{a}", f">={a}", f"<={a}", cut(a, n), f"^{cut(a, n)}",
                         f"~{cut(a, n)}", f"={cut(a, n)}", f">{cut(a, n)}", f"<={cut(a, n)}", f"{cut(a, 1)}.*",
                         f"{cut(a, 2)}.*", f">={cut(a, n)}, <{cut(b, n)}", "*"]))
for r in sorted(reqs):
    base = r.lstrip("^~=<> ").split(",")[0].strip().replace(".*", "")
    near = [v for v in versions if v.startswith(cut(base, 1) + ".")] or versions
    for v in sorted({rnd.choice(near), rnd.choice(near), rnd.choice(near), rnd.choice(versions)}):
        print(f"{r}\t{v}")
    parts = (base.split("-")[0] + ".0.0").split(".")[:3]
    if all(p.isdigit() for p in parts):
        print(f"{r}\t{'.'.join(parts)}-alpha.1")
