// SPDX-License-Identifier: Apache-2.0
// Verifies a Sigstore bundle signed with a public key using the Sigstore JavaScript libraries (@sigstore/bundle to
// parse and validate, @sigstore/verify to check), offline: no trusted root, and no log or timestamp required.
// Usage: node verify-sigstore-bundle.js BUNDLE ARTIFACT PUBLIC_KEY_PEM
// Exit 0 verified, 1 refused (the message says why), 2 setup error.
'use strict';
const fs = require('fs');
const crypto = require('crypto');

let bundleLib, verifyLib;
try {
  bundleLib = require('@sigstore/bundle');
  verifyLib = require('@sigstore/verify');
} catch (e) {
  console.error(`setup: ${e.message} (run npm ci in tests/validators)`);
  process.exit(2);
}

const [bundlePath, artifactPath, keyPath] = process.argv.slice(2);
if (!keyPath) {
  console.error('usage: verify-sigstore-bundle.js BUNDLE ARTIFACT PUBLIC_KEY_PEM');
  process.exit(2);
}

try {
  const bundle = bundleLib.bundleFromJSON(JSON.parse(fs.readFileSync(bundlePath, 'utf8')));
  const key = crypto.createPublicKey(fs.readFileSync(keyPath));
  // the hint as Cosign computes it: base64 SHA-256 of the PKIX DER; a bundle naming another hint is refused
  const hint = crypto.createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('base64');
  const trust = verifyLib.toTrustMaterial(
    { mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1', tlogs: [], certificateAuthorities: [], ctlogs: [], timestampAuthorities: [] },
    (h) => {
      if (h !== hint) throw new Error(`bundle key hint ${h} is not the given key's ${hint}`);
      return { publicKey: key, validFor: () => true };
    });
  const verifier = new verifyLib.Verifier(trust, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 });
  verifier.verify(verifyLib.toSignedEntity(bundle, fs.readFileSync(artifactPath)));
  console.log('verified');
} catch (e) {
  console.log(`refused: ${e.message}`);
  process.exit(1);
}
