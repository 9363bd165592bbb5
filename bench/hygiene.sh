#!/usr/bin/env bash
# Benchmarks `bulwark secrets` against Trivy's secret scanner and secretlint, side by side in one run, on a generated
# mixed-source tree (bench/make-secrets-tree.py) with planted secrets and decoys recorded in a truth file.
# For each tool: wall time, MB/s, peak RSS (/usr/bin/time), recall on the planted secrets and false positives
# (bench/hygiene-score.py). Bulwark also runs on one core (BULWARK_JOBS=1, pinned with taskset when there is one):
# the per-core figure. Results: bench/results/hygiene-<date>.{txt,json}.
#
# Usage: bench/hygiene.sh
#   HYGIENE_TREE_MB   size of the generated tree in MB (default 500; e.g. 50 for a quick check)
#   HYGIENE_PLANTED   planted secrets (default 200; as many decoys)
#   HYGIENE_TOOLS     tools to run (default "bulwark bulwark-1core trivy secretlint")
# Runs bench/hygiene-history.sh afterwards when it exists (the history benchmark).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
work="$here/.work/hygiene"
peers="$here/.peers"
size_mb=${HYGIENE_TREE_MB:-500}
planted=${HYGIENE_PLANTED:-200}
tools=${HYGIENE_TOOLS:-"bulwark bulwark-1core trivy secretlint"}
date=$(date -u +%Y-%m-%d)
mkdir -p "$work/out" "$here/results"

"$here/peers.sh"
# build once, outside the timings, then time the built program itself
"$repo/bulwark" --version >/dev/null
dotnet build-server shutdown >/dev/null 2>&1 || true   # no compiler servers left running beside the timings
bulwark_bin="$repo/.build/bulwark/bulwark"

tree="$work/tree-${size_mb}mb-${planted}"
if [ ! -f "$tree/.complete" ]; then
  python3 "$here/make-secrets-tree.py" "$tree" "$size_mb" "$planted"
  touch "$tree/.complete"
fi
truth="$tree.truth.json"
bytes=$(find "$tree" -type f ! -name .complete -printf '%s\n' | awk '{s+=$1} END {print s}')
files=$(find "$tree" -type f ! -name .complete | wc -l)
# read the tree once so every tool starts from a warm page cache
find "$tree" -type f -print0 | xargs -0 cat >/dev/null

one_core=()
if command -v taskset >/dev/null 2>&1; then one_core=(taskset -c 0); fi

measure() { # tool outfile cmd...
  local tool=$1 out=$2; shift 2
  rm -f "$out"
  local status=0
  /usr/bin/time -f '%e %M %U %S' -o "$work/time.$tool" "$@" >"$work/out/$tool.log" 2>&1 || status=$?
  # scanners exit 1 when they find something; anything else is a failure worth a note
  if [ "$status" -gt 1 ]; then echo "  ($tool exited $status; see $work/out/$tool.log)" >&2; fi
  local secs rss user sys
  read -r secs rss user sys < <(tail -1 "$work/time.$tool") || { secs=NA; rss=0; user=0; sys=0; }
  local score
  score=$(python3 "$here/hygiene-score.py" "${tool%-1core}" "$out" "$truth" "$tree")
  python3 - "$tool" "$secs" "$rss" "$bytes" "$score" "$user" "$sys" <<'PY'
import json, sys
tool, secs, rss, size, score = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), json.loads(sys.argv[5])
s = float(secs) if secs != "NA" else None
cpu = float(sys.argv[6]) + float(sys.argv[7])
# MB per CPU second: what one core does, whatever else the machine runs (wall time is what users wait)
row = {"tool": tool, "seconds": s, "mb_per_s": round(size / 1e6 / s, 1) if s else None, "cpu_seconds": round(cpu, 2),
       "mb_per_cpu_s": round(size / 1e6 / cpu, 1) if cpu else None, "peak_rss_mb": round(rss / 1024), **score}
print(json.dumps(row))
PY
}

rows=()
for tool in $tools; do
  case $tool in
    bulwark)
      rows+=("$(measure bulwark "$work/out/bulwark.json" "$bulwark_bin" secrets "$tree" --format json -o "$work/out/bulwark.json" --quiet)") ;;
    bulwark-1core)
      rows+=("$(measure bulwark-1core "$work/out/bulwark-1core.json" env BULWARK_JOBS=1 "${one_core[@]}" "$bulwark_bin" secrets "$tree" --format json -o "$work/out/bulwark-1core.json" --quiet)") ;;
    trivy)
      rows+=("$(measure trivy "$work/out/trivy.json" "$peers/trivy" fs --scanners secret --format json --skip-db-update --offline-scan -q --output "$work/out/trivy.json" "$tree")") ;;
    secretlint)
      # secretlint takes globs relative to the working directory; unix format (its json repeats every file's content)
      rows+=("$(measure secretlint "$work/out/secretlint.txt" bash -c 'cd "$1" && exec "$2" --secretlintrc "$3" --format unix "**/*" >"$4"' _ \
        "$tree" "$peers/secretlint-bin" "$peers/secretlint/.secretlintrc.json" "$work/out/secretlint.txt")") ;;
    *) echo "unknown tool $tool" >&2; exit 2 ;;
  esac
  echo "${rows[-1]}" >&2
done

json="$here/results/hygiene-$date.json"
txt="$here/results/hygiene-$date.txt"
printf '%s\n' "${rows[@]}" >"$work/rows.jsonl"
python3 - "$json" "$txt" "$size_mb" "$planted" "$bytes" "$files" "$(nproc)" "$work/rows.jsonl" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import json, sys
out_json, out_txt, size_mb, planted, size, files, cores, rows_path, load = sys.argv[1:10]
with open(rows_path) as f:
    rows = [json.loads(l) for l in f if l.strip()]
by = {r["tool"]: r for r in rows}
def ratio(a, b):
    x, y = by.get(a, {}).get("seconds"), by.get(b, {}).get("seconds")
    return round(y / x, 2) if x and y else None
doc = {"benchmark": "secrets", "tree": {"mb": round(int(size) / 1e6, 1), "files": int(files), "planted": int(planted)},
       "cores": int(cores), "load_average": load, "results": rows,
       "speedup": {"vs_trivy": ratio("bulwark", "trivy"), "vs_secretlint": ratio("bulwark", "secretlint")}}
with open(out_json, "w") as f:
    json.dump(doc, f, indent=1)
lines = [f"secrets benchmark: {doc['tree']['mb']} MB, {files} files, {planted} planted secrets (+ as many decoys), {cores} cores, load {load}", "",
         f"{'tool':<15}{'seconds':>9}{'MB/s':>9}{'CPU s':>8}{'MB/CPU s':>10}{'peak MB':>9}{'found':>8}{'recall':>8}{'FP':>6}{'decoys':>8}"]
for r in rows:
    lines.append(f"{r['tool']:<15}{r['seconds'] or 'NA':>9}{r['mb_per_s'] or 'NA':>9}{r['cpu_seconds']:>8}{r['mb_per_cpu_s'] or 'NA':>10}{r['peak_rss_mb']:>9}"
                 f"{r['found']:>5}/{r['planted']:<3}{r['recall'] if r['recall'] is not None else 'NA':>7}{r['false_positives']:>6}{r['decoys_reported']:>8}")
for r in rows:
    if r["missed_kinds"]:
        lines.append(f"  {r['tool']} missed kinds: {', '.join(r['missed_kinds'])}")
lines.append("")
lines.append(f"bulwark vs trivy: {doc['speedup']['vs_trivy']}x faster; vs secretlint: {doc['speedup']['vs_secretlint']}x")
with open(out_txt, "w") as f:
    f.write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
echo "wrote $txt and $json" >&2

if [ -x "$here/hygiene-history.sh" ]; then
  "$here/hygiene-history.sh"
elif [ -f "$here/hygiene-history.sh" ]; then
  bash "$here/hygiene-history.sh"
fi
