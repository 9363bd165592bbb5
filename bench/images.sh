#!/usr/bin/env bash
# Benchmarks `bulwark sbom IMAGE` against cdxgen and Trivy on the same images, in one run:
#   the demo-shop and debian-bookworm images from ../shared/images (as docker-archive files, which all three read),
#   the Debian root filesystem unpacked (rootfs mode), and a generated >= 1 GiB image (bench/make-large-image.py).
# For each input and tool: wall time (median of BENCH_REPEAT runs, 3 by default, the same for every tool), peak
# memory, purl count and the purl set differences
# (bench/.work/diff/<input>.<tool>.only-*.txt); plus the `gunzip | sha256sum` baseline on the large image's layers.
# Trivy runs with --skip-dirs usr/share/java: offline it refuses images with JARs (it needs its Java DB download).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
work="$here/.work"
peers="$here/.peers"
layout="$repo/../shared/images/oci-layout"
"$here/peers.sh"
mkdir -p "$work/images" "$work/out" "$work/diff"
"$repo/bulwark" --version >/dev/null
dotnet build-server shutdown >/dev/null 2>&1 || true   # no compiler servers left running beside the timings
bulwark_bin="$repo/.build/bulwark/bulwark"   # the program ./bulwark runs

for tag in demo-shop debian-bookworm; do
  [ -f "$work/images/$tag.tar" ] || skopeo --insecure-policy copy -q "oci:$layout:$tag" "docker-archive:$work/images/$tag.tar:bench/$tag:1"
done
if [ ! -d "$work/images/debian-rootfs/etc" ]; then
  mkdir -p "$work/images/debian-rootfs"
  base=$(python3 -c "import json,sys;i=json.load(open('$layout/index.json'));d=[m for m in i['manifests'] if m['annotations']['org.opencontainers.image.ref.name']=='debian-bookworm'][0]['digest'][7:];m=json.load(open('$layout/blobs/sha256/'+d));print(m['layers'][0]['digest'][7:])")
  tar -xzf "$layout/blobs/sha256/$base" -C "$work/images/debian-rootfs" --exclude='dev/*' --no-same-owner
fi
[ -f "$work/images/large/.complete" ] || python3 "$here/make-large-image.py" "$work/images/large" "$layout"
[ -f "$work/images/large.tar" ] || skopeo --insecure-policy copy -q "oci:$work/images/large:large" "docker-archive:$work/images/large.tar:bench/large:1"

. "$here/measure.sh"

compare() { # input row...
  local input=$1; shift
  for row in "$@"; do
    tool=$(cut -f2 <<<"$row")
    comm -23 "$work/out/bulwark.$input.purls" "$work/out/$tool.$input.purls" >"$work/diff/$input.$tool.only-bulwark.txt"
    comm -13 "$work/out/bulwark.$input.purls" "$work/out/$tool.$input.purls" >"$work/diff/$input.$tool.only-$tool.txt"
    printf '%s\t%s\t%s\n' "$row" "$(wc -l <"$work/diff/$input.$tool.only-bulwark.txt")" "$(wc -l <"$work/diff/$input.$tool.only-$tool.txt")"
  done
}

printf 'input\ttool\tseconds\tpeak_MB\tpurls\tonly_bulwark\tonly_peer\n'
for name in demo-shop debian-bookworm large; do
  input="image-$name"; tar="$work/images/$name.tar"
  measure bulwark "$input" "$work/out/bulwark.$input.json" "$bulwark_bin" sbom "docker-archive:$tar" -o "$work/out/bulwark.$input.json" --quiet
  c=$(measure cdxgen "$input" "$work/out/cdxgen.$input.json" env FETCH_LICENSE=false "$peers/cdxgen" -t docker -o "$work/out/cdxgen.$input.json" "$tar")
  t=$(measure trivy "$input" "$work/out/trivy.$input.json" "$peers/trivy" image --input "$tar" --format cyclonedx --skip-db-update --skip-java-db-update --offline-scan -q --skip-dirs usr/share/java --output "$work/out/trivy.$input.json")
  compare "$input" "$c" "$t"
done

input=rootfs-debian; dir="$work/images/debian-rootfs"
measure bulwark "$input" "$work/out/bulwark.$input.json" "$bulwark_bin" sbom "dir:$dir" -o "$work/out/bulwark.$input.json" --quiet
c=$(measure cdxgen "$input" "$work/out/cdxgen.$input.json" env FETCH_LICENSE=false "$peers/cdxgen" -t rootfs -o "$work/out/cdxgen.$input.json" "$dir")
t=$(measure trivy "$input" "$work/out/trivy.$input.json" "$peers/trivy" rootfs --format cyclonedx --skip-db-update --skip-java-db-update --offline-scan -q --output "$work/out/trivy.$input.json" "$dir")
compare "$input" "$c" "$t"

# throughput baseline: decompress and hash every layer of the large image, as a streaming reader must at least do
layers=$(python3 -c "import json;i=json.load(open('$work/images/large/index.json'));m=json.load(open('$work/images/large/blobs/sha256/'+i['manifests'][0]['digest'][7:]));print(' '.join(l['digest'][7:] for l in m['layers']))")
/usr/bin/time -f '%e %M' -o "$work/time.txt" bash -c "for l in $layers; do gunzip -c '$work/images/large/blobs/sha256/'\$l | sha256sum >/dev/null; done"
read -r secs rss <"$work/time.txt"
printf 'image-large\tgunzip|sha256sum\t%s\t%s\t-\t-\t-\n' "$secs" "$((rss / 1024))"
measure bulwark image-large-oci "$work/out/bulwark.image-large-oci.json" "$bulwark_bin" sbom "oci:$work/images/large:large" -o "$work/out/bulwark.image-large-oci.json" --quiet
