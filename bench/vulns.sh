#!/usr/bin/env bash
# Benchmarks `bulwark db update` on ../shared/vulndb (93,152 OSV records in 26 zips, 81 MiB):
#   1. full import from the directory into an empty database,
#   2. no-change update (same source; every zip is recognised by size+mtime, nothing is written),
#   3. full import over HTTP (python3 -m http.server on 127.0.0.1 serving the same tree),
#   4. no-change update over HTTP (conditional GETs answered 304),
#   5. database size on disk against the zips.
# Targets (issue #4): full import < 60 s, no-change update < 2 s, database smaller than the zips.
# Prints a tab-separated table on stdout; records nothing in RESULTS.md (the lead does).
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
