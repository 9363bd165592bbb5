#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Regenerates testdata/cargo-ranges.generated.txt with the semver crate (what Cargo uses), offline:
#   apt-get install -y librust-semver-dev   (and a Rust toolchain: cargo, rustc)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 "$here/sample_versions.py" semver "$tmp/sample.json"
/usr/bin/python3 "$here/cargo_pairs.py" "$tmp/sample.json" > "$tmp/pairs.txt"
CARGO_TARGET_DIR="$tmp/target" cargo run --quiet --offline --manifest-path "$here/cargoreq/Cargo.toml" \
  < "$tmp/pairs.txt" > "$here/../testdata/cargo-ranges.generated.txt"
