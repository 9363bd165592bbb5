# Independent count for pnpm-lock.yaml (used to write the exact numbers in PnpmLockCatalogerTests), with PyYAML.
# Prints distinct name@version (peer suffixes dropped; importers named by their package.json) and distinct edges.
# Usage: python3 count-pnpm.py path/to/pnpm-lock.yaml
import json, os, re, sys, yaml

path = sys.argv[1]
doc = yaml.safe_load(open(path, encoding="utf-8")) or {}
major = int(str(doc["lockfileVersion"]).split(".")[0])

def base(key):
    key = key.lstrip("/")
    key = key.split("(")[0]
    if major < 6:
        i = key.rfind("/")
        j = key.find("_", i + 1)
        if j > 0:
            key = key[:j]
    return key

def split(key):
    if major >= 6:
        at = key.index("@", 1)
        return key[:at], key[at + 1:]
    i = key.rfind("/")
    return key[:i], key[i + 1:]

ids = {}
for key, body in (doc.get("packages") or {}).items():
    n, v = split(base(key))
    body = body or {}
    ids[base(key)] = body.get("name", n) + "@" + str(body.get("version", v))

def resolve(name, value):
    for k in ((name + "@" + value) if major >= 6 else (name + "/" + value), value):
        b = base(k)
        if b in ids:
            return ids[b]
    return None

edges = set()
for key, body in (doc.get("snapshots" if major >= 9 else "packages") or {}).items():
    me = ids[base(key)]
    for block in ("dependencies", "optionalDependencies"):
        for d, v in ((body or {}).get(block) or {}).items():
            t = resolve(d, str(v))
            if t and t != me:
                edges.add((me, t))

importers = doc.get("importers") or {".": doc}
names = {}
for ipath in importers:
    pj = os.path.join(os.path.dirname(path), ipath, "package.json")
    m = json.load(open(pj)) if os.path.exists(pj) else {}
    names[os.path.normpath(ipath)] = m.get("name", "" if ipath == "." else ipath.split("/")[-1]) + "@" + m.get("version", "")
for ipath, body in importers.items():
    me = names[os.path.normpath(ipath)]
    if me == "@":
        continue  # an importer without a name is not reported, nor are its edges
    for block in ("dependencies", "devDependencies", "optionalDependencies"):
        for d, v in ((body or {}).get(block) or {}).items():
            v = str(v["version"] if isinstance(v, dict) else v)
            if v.startswith("link:"):
                t = names.get(os.path.normpath(os.path.join(ipath, v[5:])))
            else:
                t = resolve(d, v)
            if t:
                edges.add((me, t))
all_ids = set(ids.values()) | {n for n in names.values() if n != "@"}
print("packages", len(all_ids), "edges", len(edges))
