// SPDX-License-Identifier: Apache-2.0
// The peer of `bulwark verify-bundle` for certificate bundles: full offline verification of a Sigstore bundle with
// the Sigstore JavaScript libraries (installed by bench/peers.sh) against a trusted root: Fulcio chain, SCT,
// transparency-log entry, identity and issuer.
// Usage: node sigstore-verify-cert.js BUNDLE ARTIFACT TRUSTED_ROOT IDENTITY ISSUER
'use strict';
const fs = require('fs');
const path = require('path');
const peers = path.join(__dirname, '.peers', 'node_modules');
const bundleLib = require(path.join(peers, '@sigstore', 'bundle'));
const verifyLib = require(path.join(peers, '@sigstore', 'verify'));
const specs = require(path.join(peers, '@sigstore', 'protobuf-specs'));

const [bundlePath, artifactPath, rootPath, identity, issuer] = process.argv.slice(2);
const root = specs.TrustedRoot.fromJSON(JSON.parse(fs.readFileSync(rootPath, 'utf8')));
const verifier = new verifyLib.Verifier(verifyLib.toTrustMaterial(root), { tlogThreshold: 1, ctlogThreshold: 1 });
const bundle = bundleLib.bundleFromJSON(JSON.parse(fs.readFileSync(bundlePath, 'utf8')));
verifier.verify(verifyLib.toSignedEntity(bundle, fs.readFileSync(artifactPath)), { subjectAlternativeName: identity, extensions: { issuer } });
console.log('verified');
