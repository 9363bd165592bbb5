# SPDX-License-Identifier: Apache-2.0
# Prints every version named in an OSV ecosystem zip (versions lists and range events), sorted, one a line.
# Usage: python3 osv_versions.py Maven [VULNDB_DIR]
import zipfile, json, sys
eco = sys.argv[1]
vs = set()
root = sys.argv[2] if len(sys.argv) > 2 else "/work/shared/vulndb"
with zipfile.ZipFile(f"{root}/osv/{eco}/all.zip") as z:
    for n in z.namelist():
        r = json.loads(z.read(n))
        for a in r.get("affected", []):
            for v in a.get("versions", []) or []: vs.add(v)
            for rg in a.get("ranges", []) or []:
                for e in rg.get("events", []):
                    for k in ("introduced","fixed","last_affected"):
                        if k in e and e[k] != "0": vs.add(e[k])
for v in sorted(vs):
    if v.strip() == v and " " not in v and v: print(v)
