#!/usr/bin/env python3
"""Turns bench/sbom.sh's TSV output into the Markdown table in RESULTS.md: per input, each tool's wall time, peak
memory and purl count, Bulwark's speed-up over each peer, and the purl-set differences.
Usage: bench/report.py results.tsv"""
import csv, sys
from collections import defaultdict

rows = defaultdict(dict)
order = []
with open(sys.argv[1]) as f:
    for r in csv.DictReader(f, delimiter='\t'):
        if r['input'] not in rows:
            order.append(r['input'])
        rows[r['input']][r['tool']] = r

def num(x):
    try: return float(x)
    except (TypeError, ValueError): return None

print('| input | Bulwark s / MB / purls | cdxgen s / MB / purls | Trivy s / MB / purls | × cdxgen | × Trivy | only Bulwark / only cdxgen | only Bulwark / only Trivy |')
print('| --- | --- | --- | --- | --- | --- | --- | --- |')
for i in order:
    b, c, t = rows[i].get('bulwark', {}), rows[i].get('cdxgen', {}), rows[i].get('trivy', {})
    def cell(r): return f"{r.get('seconds','?')} / {r.get('peak_MB','?')} / {r.get('purls','?')}"
    def ratio(r):
        bs, rs = num(b.get('seconds')), num(r.get('seconds'))
        return f"{rs / bs:.1f}×" if bs and rs else '?'
    print(f"| {i} | {cell(b)} | {cell(c)} | {cell(t)} | {ratio(c)} | {ratio(t)} | "
          f"{c.get('only_bulwark','?')} / {c.get('only_peer','?')} | {t.get('only_bulwark','?')} / {t.get('only_peer','?')} |")
