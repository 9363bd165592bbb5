#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Regenerates testdata/go.generated.txt with golang.org/x/mod/semver, offline, from Debian's packages:
#   apt-get install -y golang-go golang-golang-x-mod-dev
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 "$here/sample_versions.py" go "$tmp/sample.json"
/usr/bin/python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))["versions"]))' "$tmp/sample.json" > "$tmp/versions.txt"
# GOPATH mode over Debian's /usr/share/gocode: no module download
cd "$here/gosort"
GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="$tmp/cache" go run main.go < "$tmp/versions.txt" > "$here/../testdata/go.generated.txt"
