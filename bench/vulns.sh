#!/usr/bin/env bash
# Benchmarks `bulwark db update` on ../shared/vulndb (93,152 OSV records in 26 zips, 81 MiB):
#   1. full import from the directory into an empty database,
#   2. no-change update (same source; every zip is recognised by size+mtime, nothing is written),
#   3. full import over HTTP (python3 -m http.server on 127.0.0.1 serving the same tree),
#   4. no-change update over HTTP (conditional GETs answered 304),
#   5. database size on disk against the zips,
#   6. scans, process start included (/usr/bin/time: wall seconds, user+sys CPU seconds and peak RSS), of CycloneDX
#      1.6 SBOMs of 1,000, 10,000 and 100,000 components built by make-scan-sbom.py from real package names and
#      versions (OSV records and real lockfiles; npm, PyPI, Maven, Go, crates.io, RubyGems, Packagist, NuGet, deb with
#      distro=debian-12/11; seeded, so every run scans the same files), each as
#      `bulwark scan SBOM --db DIR --format json -o FILE --quiet`, with a baseline that parses the same SBOM and writes
#      it back without matching (`bulwark sbom convert SBOM -o FILE`), the time per component and how it grows from
#      the smallest size to the largest, and the scan's own phase times (BULWARK_DEBUG_PHASES=1) for the 10,000 row,
#   7. a scan of the Debian 12 image in ../shared/images/oci-layout (tag debian-bookworm),
#   8. a realistic SBOM: `bulwark sbom` over the real lockfiles in ../shared/corpora/lockfiles, then scanned.
# Output goes to files under bench/.work, never `-o /dev/null`: Bulwark writes -o FILE beside it and renames it into
# place, which (run as root) would replace /dev/null with a regular file.
# SCAN_REPEAT=N runs each scan row N times (default 3) and reports the median run.
# Targets (issue #4): full import < 60 s, no-change update < 2 s, database smaller than the zips; 10,000-component
# scan < 0.5 s end to end with peak memory < 300 MB.
# Prints tab-separated tables on stdout; records nothing in RESULTS.md (the lead does).
# SCAN_SIZES="1000 10000 100000" chooses the SBOM sizes; SCAN_ONLY=1 skips the database steps 1-5 (it then builds the
# database once, untimed).
#
# Peers, offline: none can be compared here. Trivy (the binary bench/peers.sh installs from cdxgen's plugin package)
# scans only against its own trivy-db, an OCI artifact pulled from ghcr.io/aquasecurity/trivy-db; with an empty cache
# `trivy sbom --offline-scan --skip-db-update --cache-dir EMPTY SBOM` exits 1 with
# "ERROR The first run cannot skip downloading DB" (--offline-scan only stops its dependency look-ups, not the DB
# download), and without --skip-db-update it stops at "Downloading DB..." as ghcr.io is unreachable. No trivy-db
# (nor Grype's or osv-scanner's database) is in ../shared, so a peer comparison needs a machine with network.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
work="$here/.work/vulns"
vulndb="$(cd "$repo/../shared/vulndb" && pwd)"
rm -rf "$work" && mkdir -p "$work"
"$repo/bulwark" --version >/dev/null   # build first, so the build is not timed
dotnet build-server shutdown >/dev/null 2>&1 || true   # no compiler servers left running beside the timings

measure() { # label cmd...
  local label=$1; shift
  /usr/bin/time -f '%e %M' -o "$work/time.txt" "$@" >"$work/$label.log" 2>&1 || { echo "$label failed; see $work/$label.log" >&2; cat "$work/$label.log" >&2; exit 1; }
  read -r secs rss <"$work/time.txt"
  printf '%s\t%s\t%s\n' "$label" "$secs" "$((rss / 1024))"
}

if [ "${SCAN_ONLY:-0}" != 1 ]; then
printf 'step\tseconds\tpeak_rss_mib\n'
measure full-import-dir      "$repo/bulwark" db update --source "$vulndb" --db "$work/db-dir"
measure no-change-update-dir "$repo/bulwark" db update --source "$vulndb" --db "$work/db-dir"

port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$vulndb" >"$work/http.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/osv/ecosystems.txt" >/dev/null && break; sleep 0.1; done
measure full-import-http      "$repo/bulwark" db update --source "http://127.0.0.1:$port/osv" --db "$work/db-http"
measure no-change-update-http "$repo/bulwark" db update --source "http://127.0.0.1:$port/osv" --db "$work/db-http"

zips=$(find "$vulndb" -name all.zip -printf '%s\n' | awk '{s+=$1} END {print s}')
db=$(stat -c %s "$work/db-dir/vulns.db")
printf '\nzips_bytes\tdb_bytes\tratio\n%s\t%s\t%s\n' "$zips" "$db" "$(awk -v d="$db" -v z="$zips" 'BEGIN {printf "%.2f", d / z}')"
"$repo/bulwark" db status --db "$work/db-dir" | tail -n +6 >&2
else
"$repo/bulwark" db update --source "$vulndb" --db "$work/db-dir" >&2
fi

# --- scans ---------------------------------------------------------------------------------------------------------
sizes=${SCAN_SIZES:-1000 10000 100000}
repeat=${SCAN_REPEAT:-3}
for n in $sizes; do
  python3 "$here/make-scan-sbom.py" "$n" "$work/scan-$n.cdx.json" 2>>"$work/make-scan-sbom.log"
done

median_run() { # label cmd...: runs the command $repeat times; leaves the median run's (by wall time) "wall cpu rss" in $work/time.txt
  # Each run writes a new file, as in a fresh CI checkout: the previous run's output is removed first. Replacing an
  # existing 57 MB report is slower on ext4 (renaming over a file makes the kernel start writing the new file's data
  # back at once, auto_da_alloc), by about 65 ms on this machine (bench/RESULTS.md); that is the file system's cost.
  local label=$1; shift
  local i wall rss code cpu out="" prev=""
  for i in "$@"; do [ "$prev" = "-o" ] && out=$i; prev=$i; done
  : >"$work/time.runs"
  for i in $(seq "$repeat"); do
    [ -n "$out" ] && rm -f "$out"
    python3 "$here/timeit.py" "$work/time.run" "$work/$label.log" -- "$@" || { echo "$label failed; see $work/$label.log" >&2; cat "$work/$label.log" >&2; exit 1; }
    read -r wall rss code cpu <"$work/time.run"
    printf '%s %s %s\n' "$wall" "$cpu" "$rss" >>"$work/time.runs"
  done
  sort -g "$work/time.runs" | sed -n "$(((repeat + 1) / 2))p" >"$work/time.txt"
}
scan_row() { # label components -> "label components wall cpu rss us_per_component growth"
  local label=$1 n=$2 wall cpu rss
  read -r wall cpu rss <"$work/time.txt"
  awk -v l="$label" -v n="$n" -v s="$wall" -v c="$cpu" -v r="$rss" -v b="${base_per:-}" 'BEGIN {
    per = s * 1e6 / n
    printf "%s\t%d\t%.3f\t%s\t%d\t%.1f\t%s\n", l, n, s, c, r / 1024, per, b == "" ? "1.00" : b + 0 == 0 ? "n/a" : sprintf("%.2f", per / b) }'
}
per_component() { awk -v n="$1" '{printf "%.6f", $1 * 1e6 / n}' "$work/time.txt"; }

printf '\nstep\tcomponents\twall_s\tcpu_s\tpeak_rss_mib\tus_per_component\tper_component_vs_smallest\n'
base_per=
for n in $sizes; do
  median_run "convert-$n" "$repo/bulwark" sbom convert "$work/scan-$n.cdx.json" --format cyclonedx-json -o "$work/convert-$n.cdx.json"
  scan_row "convert-$n" "$n"
  [ -n "$base_per" ] || base_per=$(per_component "$n")
done
base_per=
for n in $sizes; do
  median_run "scan-$n" "$repo/bulwark" scan "$work/scan-$n.cdx.json" --db "$work/db-dir" --format json -o "$work/scan-$n.json" --quiet
  scan_row "scan-$n" "$n"
  [ -n "$base_per" ] || base_per=$(per_component "$n")
done

# the real lockfiles, catalogued and then scanned: what a project's SBOM looks like (mostly not vulnerable)
"$repo/bulwark" sbom "$repo/../shared/corpora/lockfiles" -o "$work/lockfiles.cdx.json" --quiet
locked=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1])).get("components", [])))' "$work/lockfiles.cdx.json")
median_run scan-lockfiles "$repo/bulwark" scan "$work/lockfiles.cdx.json" --db "$work/db-dir" --format json -o "$work/scan-lockfiles.json" --quiet
base_per=- scan_row scan-lockfiles "$locked"

image="oci:$repo/../shared/images/oci-layout:debian-bookworm"
median_run scan-image "$repo/bulwark" scan "$image" --db "$work/db-dir" --format json -o "$work/scan-image.json" --quiet
read -r wall cpu rss <"$work/time.txt"
printf '\nimage\twall_s\tcpu_s\tpeak_rss_mib\n%s\t%s\t%s\t%s\n' debian-bookworm "$wall" "$cpu" "$((rss / 1024))"
for f in scan-lockfiles scan-image $(for n in $sizes; do echo "scan-$n"; done); do
  python3 - "$work/$f.json" "$f" >&2 <<'PY' || true
import json, sys
r = json.load(open(sys.argv[1]))
s = r["summary"]
print(f"{sys.argv[2]}: {s['packages']} packages, {s['findings']} findings, {s['unmatchable']} unmatchable, {s['problems']} record problems, {len(r['warnings'])} warnings")
PY
done

# each generated SBOM's report digest with the times (report, database) and the tool version blanked: the same digest
# from two builds means the same findings, byte for byte (compare before and after a change to matching or reports)
for n in $sizes; do
  printf 'scan-%s report sha256 (times and tool version blanked): %s\n' "$n" \
    "$(sed -e '/"created": \|"built": \|"checked": \|"ageSeconds": /d' -e '1,6{/"version": /d}' "$work/scan-$n.json" | sha256sum | cut -c1-64)" >&2
done

# where the 10,000-component time goes (one more run, phases on stderr)
if [ -f "$work/scan-10000.cdx.json" ]; then
  printf '\nscan-10000 phases (BULWARK_DEBUG_PHASES=1)\n'
  rm -f "$work/scan-10000.json"
  BULWARK_DEBUG_PHASES=1 "$repo/bulwark" scan "$work/scan-10000.cdx.json" --db "$work/db-dir" --format json -o "$work/scan-10000.json" --quiet 2>&1 |
    sed -n 's/^bulwark: phase //p'
fi
