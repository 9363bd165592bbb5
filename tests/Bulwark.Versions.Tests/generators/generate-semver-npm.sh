#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Regenerates testdata/semver.generated.txt and testdata/npm-ranges.generated.txt with the npm `semver` package.
# Needs node, npm and /usr/bin/python3; installs semver into a temp dir (nothing is added to the repository).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error semver@7 >/dev/null)
/usr/bin/python3 "$here/sample_versions.py" semver "$tmp/sample.json"
NODE_PATH="$tmp/node_modules" node "$here/semver-npm.js" "$tmp/sample.json" "$here/../testdata"
