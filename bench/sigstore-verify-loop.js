// SPDX-License-Identifier: Apache-2.0
// The peer of `Bulwark.Bench verify-bundle`: Sigstore bundle verifications per second on one thread with the
// Sigstore JavaScript libraries (@sigstore/bundle + @sigstore/verify, installed by bench/peers.sh), offline, for a
// bundle signed with a public key. Each round parses the bundle and verifies it against the artifact.
// Usage: node sigstore-verify-loop.js BUNDLE ARTIFACT PUBLIC_KEY_PEM SECONDS
'use strict';
const fs = require('fs');
const crypto = require('crypto');
const path = require('path');
const peers = path.join(__dirname, '.peers', 'node_modules');
const bundleLib = require(path.join(peers, '@sigstore', 'bundle'));
const verifyLib = require(path.join(peers, '@sigstore', 'verify'));

const [bundlePath, artifactPath, keyPath, secondsText] = process.argv.slice(2);
const bundleText = fs.readFileSync(bundlePath, 'utf8');
const key = crypto.createPublicKey(fs.readFileSync(keyPath));
const hint = crypto.createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('base64');
const trust = verifyLib.toTrustMaterial(
  { mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1', tlogs: [], certificateAuthorities: [], ctlogs: [], timestampAuthorities: [] },
  (h) => {
    if (h !== hint) throw new Error(`unknown key hint ${h}`);
    return { publicKey: key, validFor: () => true };
  });
const verifier = new verifyLib.Verifier(trust, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 });

function once() {
  // as the CLI does per file: parse the bundle, read the artifact, verify
  const bundle = bundleLib.bundleFromJSON(JSON.parse(bundleText));
  verifier.verify(verifyLib.toSignedEntity(bundle, fs.readFileSync(artifactPath)));
}

const seconds = Number(secondsText);
let start = process.hrtime.bigint();
while (Number(process.hrtime.bigint() - start) / 1e9 < 0.5) once();   // warm-up
let count = 0;
start = process.hrtime.bigint();
while (Number(process.hrtime.bigint() - start) / 1e9 < seconds) {
  once();
  count++;
}
console.log((count / (Number(process.hrtime.bigint() - start) / 1e9)).toFixed(0));
