#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Scores one secret scanner's output against the truth file of bench/make-secrets-tree.py.

Usage: hygiene-score.py TOOL OUTPUT TRUTH_JSON TREE
  TOOL   bulwark (its --format json), trivy (trivy fs --format json) or secretlint (--format unix)
Prints one JSON object: findings (distinct file:line), planted, found (planted secrets reported), recall,
decoys_reported (placeholders and lookalikes reported), false_positives (findings that are no planted secret).

A finding matches a planted secret when it names the same file and a line inside the secret's lines (a private key
is reported at its BEGIN line by some tools and at its body by others).
"""
import json
import os
import re
import sys


def findings(tool, path, tree):
    """(relative file, first line, last line) of every finding."""
    out = []
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return out
    if tool == "bulwark":
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        for x in doc.get("findings", []):
            out.append((x["path"], x["line"], x["line"]))
    elif tool == "trivy":
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        for r in doc.get("Results") or []:
            for s in r.get("Secrets") or []:
                out.append((r["Target"], s.get("StartLine", 0), s.get("EndLine", s.get("StartLine", 0))))
    elif tool == "secretlint":
        line_re = re.compile(r"^(.+?):(\d+):(\d+): ")
        root = os.path.realpath(tree) + os.sep
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                m = line_re.match(line)
                if not m:
                    continue
                file = os.path.realpath(m.group(1))
                rel = file[len(root):] if file.startswith(root) else m.group(1)
                out.append((rel, int(m.group(2)), int(m.group(2))))
    else:
        raise SystemExit(f"unknown tool {tool}")
    return out


def main():
    tool, output, truth_path, tree = sys.argv[1:5]
    with open(truth_path, encoding="utf-8") as f:
        truth = json.load(f)
    by_file = {}
    for i, t in enumerate(truth):
        by_file.setdefault(t["file"], []).append((i, t))
    found = set()
    decoys = set()
    false_positives = set()
    distinct = set()
    for file, first, last in findings(tool, output, tree):
        distinct.add((file, first))
        hit = None
        for i, t in by_file.get(file, []):
            if first <= t["endLine"] and last >= t["line"]:
                hit = (i, t)
                break
        if hit and hit[1]["planted"]:
            found.add(hit[0])
        elif hit:
            decoys.add(hit[0])
            false_positives.add((file, first))
        else:
            false_positives.add((file, first))
    planted = sum(1 for t in truth if t["planted"])
    print(json.dumps({
        "findings": len(distinct),
        "planted": planted,
        "found": len(found),
        "recall": round(len(found) / planted, 4) if planted else None,
        "decoys_reported": len(decoys),
        "false_positives": len(false_positives),
        "missed_kinds": sorted({t["kind"] for i, t in enumerate(truth) if t["planted"] and i not in found}),
    }))


if __name__ == "__main__":
    main()
