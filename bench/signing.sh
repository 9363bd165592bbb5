#!/usr/bin/env bash
# Benchmarks signing and verification (issue #5), side by side with peers in the same run:
#   1. CLI end to end (process start included), median of 11: `bulwark verify-blob --bundle` (and `bulwark
#      verify-bundle --key` once that verb exists) against `node` + @sigstore/verify on the same key-signed bundle;
#   2. in-process verifications per second on one thread: Bulwark.Bench verify-bundle against a node loop over
#      @sigstore/verify (bench/sigstore-verify-loop.js);
#   3. a 1 GiB blob: `bulwark sign-blob` / `verify-blob` against `openssl dgst -sha256 -sign` / `-verify` with the same key.
# Targets: CLI verification under 100 ms; at least 5,000 verifications per second per core; blob signing within
# 1.2x of openssl. Prints tab-separated tables on stdout; records nothing in RESULTS.md (the lead does).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
work="$here/.work/signing"
rm -rf "$work" && mkdir -p "$work"
"$here/peers.sh" >/dev/null 2>&1
"$repo/bulwark" --version >/dev/null   # build first, so the build is not timed
dotnet build-server shutdown >/dev/null 2>&1 || true   # no compiler servers left running beside the timings
dotnet build -c Release "$here/Bulwark.Bench" -o "$work/benchbin" >/dev/null

# one key for every tool: an unencrypted P-256 PKCS#8 key (Bulwark reads it; openssl signs with it)
openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null | openssl pkcs8 -topk8 -nocrypt -out "$work/key.pem"
openssl ec -in "$work/key.pem" -pubout -out "$work/pub.pem" 2>/dev/null
head -c 1024 /dev/urandom >"$work/small.bin"
"$repo/bulwark" sign-blob --key "$work/key.pem" --bundle "$work/small.bundle" --output-signature "$work/small.sig" "$work/small.bin" >/dev/null

median_ms() { # cmd... : median wall time of 11 runs in ms; every run must succeed
  local times=()
  for _ in $(seq 11); do
    local s e
    s=$(date +%s%N); "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }; e=$(date +%s%N)
    times+=($(( (e - s) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 6p
}

printf 'cli verification (1 KiB artifact, key bundle)\tmedian_ms\n'
printf 'bulwark verify-blob --bundle\t%s\n' "$(median_ms "$repo/bulwark" verify-blob --key "$work/pub.pem" --bundle "$work/small.bundle" "$work/small.bin")"
if "$repo/bulwark" --help 2>/dev/null | grep -q 'verify-bundle'; then
  printf 'bulwark verify-bundle --key\t%s\n' "$(median_ms "$repo/bulwark" verify-bundle --bundle "$work/small.bundle" --key "$work/pub.pem" "$work/small.bin")"
fi
export NODE_PATH="$here/.peers/node_modules"
printf 'node @sigstore/verify\t%s\n' "$(median_ms node "$repo/tests/validators/verify-sigstore-bundle.js" "$work/small.bundle" "$work/small.bin" "$work/pub.pem")"

# a real certificate bundle: Sigstore public-good, v0.1, Fulcio P-384 leaf, SCT, SET and an 11-hash inclusion proof
conf="$repo/tests/Bulwark.Signing.Tests/Sigstore/testdata"
identity="https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main"
issuer="https://token.actions.githubusercontent.com"
printf '\ncli verification (Sigstore public-good certificate bundle a.txt.sigstore.json)\tmedian_ms\n'
printf 'bulwark verify-bundle --certificate-identity\t%s\n' "$(median_ms "$repo/bulwark" verify-bundle --bundle "$conf/conformance/a.txt.sigstore.json" \
  --certificate-identity "$identity" --certificate-oidc-issuer "$issuer" --trusted-root "$conf/production/trusted_root.json" "$conf/conformance/a.txt")"
if node "$here/sigstore-verify-cert.js" "$conf/conformance/a.txt.sigstore.json" "$conf/conformance/a.txt" "$conf/production/trusted_root.json" "$identity" "$issuer" >"$work/node-cert.log" 2>&1; then
  printf 'node @sigstore/verify\t%s\n' "$(median_ms node "$here/sigstore-verify-cert.js" "$conf/conformance/a.txt.sigstore.json" "$conf/conformance/a.txt" "$conf/production/trusted_root.json" "$identity" "$issuer")"
else
  printf 'node @sigstore/verify\tfails: %s\n' "$(grep -m1 -o 'TypeError.*\|Error.*' "$work/node-cert.log")"
fi

printf '\nin-process verifications per second (1 thread, 5 s)\tper_second\n'
printf 'bulwark (Bulwark.Bench)\t%s\n' "$("$work/benchbin/Bulwark.Bench" verify-bundle "$work/small.bundle" "$work/small.bin" "$work/pub.pem" 5)"
printf 'node @sigstore/verify\t%s\n' "$(node "$here/sigstore-verify-loop.js" "$work/small.bundle" "$work/small.bin" "$work/pub.pem" 5)"
printf 'bulwark, public-good certificate bundle (chain, SCT, SET, proof, identity)\t%s\n' "$("$work/benchbin/Bulwark.Bench" verify-cert-bundle \
  "$conf/conformance/a.txt.sigstore.json" "$conf/conformance/a.txt" "$conf/production/trusted_root.json" "$identity" "$issuer" 5)"

printf '\n1 GiB blob\tseconds\tpeak_rss_mib\n'
head -c $((1 << 30)) /dev/urandom >"$work/big.bin"
cat "$work/big.bin" >/dev/null   # into the page cache, for every tool alike
measure() { # label cmd...
  local label=$1; shift
  /usr/bin/time -f '%e %M' -o "$work/time.txt" "$@" >"$work/$label.log" 2>&1 || { echo "$label failed" >&2; cat "$work/$label.log" >&2; exit 1; }
  read -r secs rss <"$work/time.txt"
  printf '%s\t%s\t%s\n' "$label" "$secs" "$((rss / 1024))"
}
measure bulwark-sign-blob "$repo/bulwark" sign-blob --key "$work/key.pem" --output-signature "$work/big.sig" "$work/big.bin"
measure openssl-dgst-sign openssl dgst -sha256 -sign "$work/key.pem" -out "$work/big.der" "$work/big.bin"
measure bulwark-verify-blob "$repo/bulwark" verify-blob --key "$work/pub.pem" --signature "$work/big.sig" "$work/big.bin"
measure openssl-dgst-verify openssl dgst -sha256 -verify "$work/pub.pem" -signature "$work/big.der" "$work/big.bin"
rm -f "$work/big.bin"
