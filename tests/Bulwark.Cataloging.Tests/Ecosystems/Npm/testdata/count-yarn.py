# Independent count for yarn.lock (used to write the exact numbers in YarnLockCatalogerTests).
# Classic v1 is parsed with a few lines of line handling here; berry with PyYAML.
# Prints distinct name@version (plus the root named by the package.json beside it) and distinct edges,
# each dependency resolved to the entry whose header lists "name@range".
# Usage: python3 count-yarn.py path/to/yarn.lock
import json, os, sys, yaml

path = sys.argv[1]
text = open(path, encoding="utf-8").read()
entries = []  # (specifiers, name, version, [(dep, range)])

def split_name(spec):
    at = spec.index("@", 1)
    return spec[:at], spec[at + 1:]

if "\n__metadata:" in text or text.startswith("__metadata:"):
    doc = yaml.safe_load(text)
    for key, body in doc.items():
        if key == "__metadata":
            continue
        name, ref = split_name(body["resolution"])
        version = str(body.get("version", ""))
        if ref.startswith("workspace:"):
            pj = os.path.join(os.path.dirname(path), ref[10:], "package.json")
            version = json.load(open(pj)).get("version", "") if os.path.exists(pj) else ""
        deps = [(d, str(r)) for d, r in (body.get("dependencies") or {}).items()]
        entries.append(([s.strip() for s in key.split(",")], name, version, deps))
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
            cur = [specs, name, "", []]
            entries.append(cur)
        elif indent == 2:
            if s.endswith(":"):
                block = s[:-1]
            else:
                k, v = s.split(" ", 1)
                if k == "version":
                    cur[2] = v.strip('"')
                block = None
        elif indent == 4 and block in ("dependencies", "optionalDependencies"):
            k, v = s.split(" ", 1)
            cur[3].append((k.strip('"'), v.strip('"')))

by_spec = {}
for e in entries:
    for s in e[0]:
        by_spec.setdefault(s, e)
ids = {e[1] + "@" + e[2] for e in entries}
edges = set()
def resolve(d, r):
    return by_spec.get(d + "@" + r) or by_spec.get(d + "@npm:" + r)
for e in entries:
    for d, r in e[3]:
        t = resolve(d, r)
        me, to = e[1] + "@" + e[2], (t[1] + "@" + t[2]) if t else None
        if t and to != me:
            edges.add((me, to))
pj = os.path.join(os.path.dirname(path), "package.json")
if not any(s.endswith("@workspace:.") for e in entries for s in e[0]) and os.path.exists(pj):
    m = json.load(open(pj))
    me = m.get("name", "") + "@" + m.get("version", "")
    ids.add(me)
    for block in ("dependencies", "devDependencies", "optionalDependencies", "peerDependencies"):
        for d, r in (m.get(block) or {}).items():
            t = resolve(d, r)
            if t:
                edges.add((me, t[1] + "@" + t[2]))
print("packages", len(ids), "edges", len(edges))
