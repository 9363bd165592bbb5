#!/usr/bin/env python3
"""Prints the set of package identities in a CycloneDX JSON SBOM, one per line, normalised for comparison
between tools: purl type/namespace/name@version, percent-decoded, lowercased, qualifiers and subpath dropped.
Components without a purl are skipped (they cannot be compared by identity)."""
import json, sys, urllib.parse

def norm(purl: str) -> str:
    # Debian/RPM epochs: Bulwark writes them in the version ("1:2.38"), Trivy as an epoch qualifier; fold them together
    query = urllib.parse.parse_qs(purl.split('#', 1)[0].split('?', 1)[1]) if '?' in purl else {}
    p = purl.split('#', 1)[0].split('?', 1)[0]
    if 'epoch' in query and '@' in p and query['epoch'][0] not in ('', '0'):
        name, version = p.rsplit('@', 1)
        p = f"{name}@{query['epoch'][0]}:{version}"
    p = urllib.parse.unquote(p)
    # Go module versions: Bulwark (and Go) write "v1.2.3", Trivy drops the "v"; compare them as the same version
    if p.startswith('pkg:golang/') and '@v' in p:
        p = p.replace('@v', '@', 1)
    return p.lower()

def walk(components, out):
    for c in components or []:
        if c.get('purl'):
            out.add(norm(c['purl']))
        walk(c.get('components'), out)

doc = json.load(open(sys.argv[1], encoding='utf-8'))
seen = set()
walk(doc.get('components'), seen)
for s in sorted(seen):
    print(s)
