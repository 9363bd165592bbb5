# Independent count for yarn.lock (used to write the exact numbers in YarnLockCatalogerTests).
# Classic v1 is parsed with a few lines of line handling here; berry with PyYAML.
# Prints distinct name@version (plus the root named by the package.json beside it), distinct edges, each
# dependency resolved to the entry whose header lists "name@range", and (with a package.json) the scope counts:
# a package is required/optional/dev by the best path from a root, a path being as weak as its weakest edge.
# Usage: python3 count-yarn.py path/to/yarn.lock
import json, os, sys, urllib.parse, yaml

path = sys.argv[1]
here = os.path.dirname(path)
text = open(path, encoding="utf-8").read()
entries = []  # dicts: specs, name, version, deps [(dep, range, edge scope 0/1/2)], workspace path or None, patch original


def split_name(spec):
    at = spec.index("@", 1)
    return spec[:at], spec[at + 1:]


def manifest(folder):
    p = os.path.join(here, folder, "package.json")
    return json.load(open(p)) if os.path.exists(p) else None


if "\n__metadata:" in text or text.startswith("__metadata:"):
    doc = yaml.safe_load(text)
    for key, body in doc.items():
        if key == "__metadata":
            continue
        name, ref = split_name(body["resolution"])
        e = {"specs": [s.strip() for s in key.split(",")], "name": name, "version": str(body.get("version", "")),
             "ws": None, "patch": None}
        meta = body.get("dependenciesMeta") or {}
        e["deps"] = [(d, str(r), 1 if (meta.get(d) or {}).get("optional") else 0) for d, r in (body.get("dependencies") or {}).items()]
        if ref.startswith("workspace:"):
            e["ws"] = ref[10:]
            m = manifest(e["ws"]) or {}
            e["version"] = m.get("version", "")
            dev = set(m.get("devDependencies") or {}) - set(m.get("dependencies") or {})
            opt = set(m.get("optionalDependencies") or {})
            if m:
                e["deps"] = [(d, r, 1 if d in opt else 2 if d in dev else s) for d, r, s in e["deps"]]
        if ref.startswith("patch:"):
            e["patch"] = urllib.parse.unquote(ref[6:].split("#")[0])
        entries.append(e)
else:
    cur = None
    block = None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        s = line.strip()
        if indent == 0:
            specs = [x.strip().strip('"') for x in s[:-1].split(",")]
            name, rng = split_name(specs[0])
            if rng.startswith("npm:"):
                name, _ = split_name(rng[4:])
            cur = {"specs": specs, "name": name, "version": "", "deps": [], "ws": None, "patch": None}
            entries.append(cur)
        elif indent == 2:
            if s.endswith(":"):
                block = s[:-1]
            else:
                k, v = s.split(" ", 1)
                if k == "version":
                    cur["version"] = v.strip('"')
                block = None
        elif indent == 4 and block in ("dependencies", "optionalDependencies"):
            k, v = s.split(" ", 1)
            cur["deps"].append((k.strip('"'), v.strip('"'), 1 if block == "optionalDependencies" else 0))

by_spec = {}
for e in entries:
    for s in e["specs"]:
        by_spec.setdefault(s, e)


def resolve(d, r):
    return by_spec.get(d + "@" + r) or by_spec.get(d + "@npm:" + r)


def ident(e):
    return e["name"] + "@" + e["version"]


ids = {ident(e) for e in entries}
edges = set()
for e in entries:
    for d, r, _ in e["deps"]:
        t = resolve(d, r)
        if t and ident(t) != ident(e):
            edges.add((ident(e), ident(t)))

root_manifest = manifest("")
roots = [e for e in entries if e["ws"] is not None]
if root_manifest is not None and not roots:
    root = {"specs": [], "name": root_manifest.get("name", ""), "version": root_manifest.get("version", ""), "ws": "", "patch": None,
            "deps": [(d, r, s) for b, s in (("dependencies", 0), ("peerDependencies", 0), ("optionalDependencies", 1), ("devDependencies", 2))
                     for d, r in (root_manifest.get(b) or {}).items()]}
    roots = [root]
    if root["name"]:
        ids.add(ident(root))
    for d, r, _ in root["deps"]:
        t = resolve(d, r)
        if t:
            edges.add((ident(root), ident(t)))
print("packages", len(ids), "edges", len(edges))

if root_manifest is not None:
    best = {}  # id(entry) -> scope
    for level in (0, 1, 2):
        seen = set(id(r) for r in roots)
        stack = list(roots)
        while stack:
            e = stack.pop()
            out = [(resolve(d, r), s) for d, r, s in e["deps"]]
            if e["patch"]:
                out.append((by_spec.get(e["patch"]), 0))
            for t, s in out:
                if t is None or s > level or id(t) in seen:
                    continue
                seen.add(id(t))
                best.setdefault(id(t), level)
                stack.append(t)
    scope = {}
    for e in entries:
        sc = 0 if e["ws"] is not None else best.get(id(e), 0)
        scope[ident(e)] = min(scope.get(ident(e), 9), sc)
    for r in roots:
        scope[ident(r)] = 0
    counts = [0, 0, 0]
    for i, s in scope.items():
        if not i.startswith("@") or "@" in i[1:]:
            counts[s] += 1
    print("required/optional/dev", "/".join(map(str, counts)))
