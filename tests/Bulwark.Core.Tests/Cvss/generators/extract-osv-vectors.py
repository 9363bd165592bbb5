#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Writes testdata/osv-vectors.txt: every distinct CVSS vector in the offline OSV data, with its OSV type and first record id.
import collections, glob, json, sys, zipfile

root = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/vulndb/osv"
seen = collections.OrderedDict()
for path in sorted(glob.glob(f"{root}/*/all.zip")):
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            record = json.loads(archive.read(name))
            entries = list(record.get("severity") or [])
            for affected in record.get("affected", []):
                entries += affected.get("severity") or []
            for entry in entries:
                if entry.get("type", "").startswith("CVSS") and entry["score"] not in seen:
                    seen[entry["score"]] = (entry["type"], record["id"])
print("# Distinct CVSS vectors from /work/shared/vulndb/osv/*/all.zip (severity[] and affected[].severity[]): OSV type, vector, first record id.")
print("# Rebuild: see generators/README.md.")
for vector, (kind, record_id) in seen.items():
    print(f"{kind}\t{vector}\t{record_id}")
