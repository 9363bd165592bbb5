# Independent count for pnpm-lock.yaml (used to write the exact numbers in PnpmLockCatalogerTests), with PyYAML.
# Prints distinct name@version (peer suffixes dropped; importers named by their package.json), distinct edges,
# and scope counts: version 5/6 from the dev/optional flags, version 9 by the best path from an importer
# (a path as weak as its weakest edge: dependencies required, optionalDependencies optional, devDependencies dev).
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
graph = {}  # id -> [(id, scope)]
for key, body in (doc.get("snapshots" if major >= 9 else "packages") or {}).items():
    me = ids[base(key)]
    for block in ("dependencies", "optionalDependencies"):
        for d, v in ((body or {}).get(block) or {}).items():
            t = resolve(d, str(v))
            if t and t != me:
                edges.add((me, t))
            if t:
                graph.setdefault(me, []).append((t, 0 if block == "dependencies" else 1))

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
                graph.setdefault(me, []).append((t, {"dependencies": 0, "optionalDependencies": 1, "devDependencies": 2}[block]))
all_ids = set(ids.values()) | {n for n in names.values() if n != "@"}
print("packages", len(all_ids), "edges", len(edges))

scope = {}
if major >= 9:
    roots = [n for n in names.values()]
    for level in (0, 1, 2):
        seen = set(roots)
        stack = list(roots)
        while stack:
            n = stack.pop()
            for t, sc in graph.get(n, []):
                if sc > level or t in seen:
                    continue
                seen.add(t)
                scope.setdefault(t, level)
                stack.append(t)
else:
    for key, body in (doc.get("packages") or {}).items():
        body = body or {}
        sc = 2 if body.get("dev") is True else 1 if body.get("optional") else 0
        scope[ids[base(key)]] = min(scope.get(ids[base(key)], 9), sc)
counts = [0, 0, 0]
for i in all_ids:
    counts[0 if i in names.values() else scope.get(i, 0)] += 1
print("required/optional/dev", "/".join(map(str, counts)))
