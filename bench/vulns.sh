#!/usr/bin/env bash
# Benchmarks `bulwark db update` on ../shared/vulndb (93,152 OSV records in 26 zips, 81 MiB):
#   1. full import from the directory into an empty database,
#   2. no-change update (same source; every zip is recognised by size+mtime, nothing is written),
#   3. full import over HTTP (python3 -m http.server on 127.0.0.1 serving the same tree),
#   4. no-change update over HTTP (conditional GETs answered 304),
#   5. database size on disk against the zips,
#   6. scans, process start included (/usr/bin/time: wall seconds and peak RSS), of CycloneDX 1.6 SBOMs of 1,000,
#      10,000 and 100,000 components built by make-scan-sbom.py from real package names and versions (OSV records
#      and real lockfiles; npm, PyPI, Maven, Go, crates.io, RubyGems, Packagist, NuGet, deb with distro=debian-12/11;
#      seeded, so every run scans the same files), each as `bulwark scan SBOM --db DIR --format json -o /dev/null`,
#      with a baseline that parses the same SBOM and writes it back without matching (`bulwark sbom convert
#      SBOM -o /dev/null`), and the time per component and how it grows from the smallest size to the largest,
#   7. a scan of the Debian 12 image in ../shared/images/oci-layout (tag debian-bookworm).
# Targets (issue #4): full import < 60 s, no-change update < 2 s, database smaller than the zips; 10,000-component
# scan < 0.5 s end to end with peak memory < 300 MB.
# Prints tab-separated tables on stdout; records nothing in RESULTS.md (the lead does).
# SCAN_SIZES="1000 10000 100000" chooses the SBOM sizes. Until the `scan` verb exists the scan steps are reported as
# skipped and the rest still runs.
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

measure() { # label cmd...
  local label=$1; shift
  /usr/bin/time -f '%e %M' -o "$work/time.txt" "$@" >"$work/$label.log" 2>&1 || { echo "$label failed; see $work/$label.log" >&2; cat "$work/$label.log" >&2; exit 1; }
  read -r secs rss <"$work/time.txt"
  printf '%s\t%s\t%s\n' "$label" "$secs" "$((rss / 1024))"
}

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

# --- scans ---------------------------------------------------------------------------------------------------------
sizes=${SCAN_SIZES:-1000 10000 100000}
for n in $sizes; do
  python3 "$here/make-scan-sbom.py" "$n" "$work/scan-$n.cdx.json" 2>>"$work/make-scan-sbom.log"
done
# an unknown verb prints the root help and exits 0, so look for the verb in the command list
has_scan=0
"$repo/bulwark" --help 2>/dev/null | grep -Eq '^  scan( |$)' && has_scan=1

scan_row() { # label components -> "label components seconds rss us_per_component growth"
  local label=$1 n=$2 secs rss
  read -r secs rss <"$work/time.txt"
  awk -v l="$label" -v n="$n" -v s="$secs" -v r="$rss" -v b="${base_per:-}" 'BEGIN {
    per = s * 1e6 / n
    printf "%s\t%d\t%s\t%d\t%.1f\t%s\n", l, n, s, r / 1024, per, b == "" ? "1.00" : b + 0 == 0 ? "n/a" : sprintf("%.2f", per / b) }'
}
timed() { # label cmd...: like measure, without printing
  local label=$1; shift
  /usr/bin/time -f '%e %M' -o "$work/time.txt" "$@" >"$work/$label.log" 2>&1 || { echo "$label failed; see $work/$label.log" >&2; cat "$work/$label.log" >&2; exit 1; }
}

printf '\nstep\tcomponents\tseconds\tpeak_rss_mib\tus_per_component\tper_component_vs_smallest\n'
base_per=
for n in $sizes; do
  timed "read-$n" "$repo/bulwark" sbom convert "$work/scan-$n.cdx.json" --format cyclonedx-json -o /dev/null
  scan_row "convert-$n" "$n"
  [ -n "$base_per" ] || base_per=$(awk '{printf "%.6f", $1 * 1e6 / '"$n"'}' "$work/time.txt")
done
if [ "$has_scan" = 1 ]; then
  base_per=
  for n in $sizes; do
    timed "scan-$n" "$repo/bulwark" scan "$work/scan-$n.cdx.json" --db "$work/db-dir" --format json -o /dev/null
    scan_row "scan-$n" "$n"
    [ -n "$base_per" ] || base_per=$(awk '{printf "%.6f", $1 * 1e6 / '"$n"'}' "$work/time.txt")
  done
  image="oci:$repo/../shared/images/oci-layout:debian-bookworm"
  timed scan-image "$repo/bulwark" scan "$image" --db "$work/db-dir" --format json -o "$work/scan-image.json"
  read -r secs rss <"$work/time.txt"
  printf '\nimage\tseconds\tpeak_rss_mib\n%s\t%s\t%s\n' debian-bookworm "$secs" "$((rss / 1024))"
  python3 - "$work/scan-image.json" >&2 <<'PY' || true
import json, sys
r = json.load(open(sys.argv[1]))
print("debian-bookworm scan: " + ", ".join(f"{k}={len(v)}" for k, v in r.items() if isinstance(v, list)))
PY
else
  printf 'scan\tskipped: this build has no `bulwark scan` verb yet\n'
fi
