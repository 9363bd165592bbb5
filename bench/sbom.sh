#!/usr/bin/env bash
# Benchmarks `bulwark sbom` against cdxgen and Trivy on the same inputs, in one run:
#   every corpus lockfile project (../shared/corpora/lockfiles/*/*), a real npm project with ~1,000 installed
#   packages (bench/fixtures/npm-1000, installed with `npm ci`), and a generated monorepo of 100,000 files.
# For each input and tool: wall time (median of BENCH_REPEAT runs, 3 by default, the same for every tool), peak memory
# (max RSS), number of purls, and the purl set differences
# (written to bench/.work/diff/<input>.<tool>.{only-ours,only-theirs}.txt).
# Usage: bench/sbom.sh [--quick]   (--quick: corpus lockfiles only)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
work="$here/.work"
peers="$here/.peers"
quick=${1:-}
"$here/peers.sh"
mkdir -p "$work/inputs" "$work/out" "$work/diff"

# Build Bulwark once, outside the timings, then time the built program itself (the launcher's source check is not
# part of the measurement, and a source edit during a run must not trigger a rebuild inside a timing).
"$repo/bulwark" --version >/dev/null
bulwark_bin="$repo/.build/bulwark/bulwark"   # the program ./bulwark runs
# the build's compiler and MSBuild servers would otherwise stay alive beside the first timings
dotnet build-server shutdown >/dev/null 2>&1 || true

# --- inputs ------------------------------------------------------------------------------------------------
inputs=()
for d in "$repo"/../shared/corpora/lockfiles/*/*/; do
  name="corpus-$(basename "$(dirname "$d")")-$(basename "$d")"
  # copied afresh for every run of this script: the inputs must be the corpus's files and nothing else
  rm -rf "$work/inputs/$name"; cp -r "$d" "$work/inputs/$name"; chmod -R u+w "$work/inputs/$name"
  inputs+=("$name")
done
if [ "$quick" != "--quick" ]; then
  if [ ! -d "$work/inputs/npm-1000/node_modules" ]; then
    rm -rf "$work/inputs/npm-1000"; cp -r "$here/fixtures/npm-1000" "$work/inputs/npm-1000"
    (cd "$work/inputs/npm-1000" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
  fi
  inputs+=("npm-1000")
  if [ ! -f "$work/inputs/monorepo-100k/.complete" ]; then
    python3 "$here/make-monorepo.py" "$work/inputs/monorepo-100k" "$repo/../shared/corpora/lockfiles"
  fi
  inputs+=("monorepo-100k")
fi

. "$here/measure.sh"

printf 'input\ttool\tseconds\tpeak_MB\tpurls\tonly_bulwark\tonly_peer\n'
for input in "${inputs[@]}"; do
  dir="$work/inputs/$input"
  b=$(measure bulwark "$input" "$work/out/bulwark.$input.json" "$bulwark_bin" sbom "$dir" -o "$work/out/bulwark.$input.json" --quiet)
  echo "$b"
  # cdxgen writes into the folder it scans (for .NET projects it runs `dotnet restore`, which leaves obj/ and
  # packages.lock.json behind): each of its runs gets a fresh copy of the input, made outside the timing, so that
  # neither its own later runs nor the other tools read what it wrote
  fresh="$work/fresh/$input"
  c=$(BENCH_BEFORE="rm -rf '$fresh' && mkdir -p '$work/fresh' && cp -r '$dir' '$fresh'" measure cdxgen "$input" "$work/out/cdxgen.$input.json" \
    env FETCH_LICENSE=false CDXGEN_TEMP_DIR="$work/tmp" "$peers/cdxgen" -r -o "$work/out/cdxgen.$input.json" "$fresh")
  rm -rf "$fresh"
  t=$(measure trivy "$input" "$work/out/trivy.$input.json" "$peers/trivy" fs --format cyclonedx --skip-db-update --skip-java-db-update --offline-scan -q --output "$work/out/trivy.$input.json" "$dir")
  for row in "$c" "$t"; do
    tool=$(cut -f2 <<<"$row")
    comm -23 "$work/out/bulwark.$input.purls" "$work/out/$tool.$input.purls" >"$work/diff/$input.$tool.only-bulwark.txt"
    comm -13 "$work/out/bulwark.$input.purls" "$work/out/$tool.$input.purls" >"$work/diff/$input.$tool.only-$tool.txt"
    printf '%s\t%s\t%s\n' "$row" "$(wc -l <"$work/diff/$input.$tool.only-bulwark.txt")" "$(wc -l <"$work/diff/$input.$tool.only-$tool.txt")"
  done
done
