#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
//
// Validates CycloneDX JSON documents strictly: the CycloneDX JavaScript library's JsonStrictValidator (ajv with
// format assertion, the schemas shipped in the npm package, no network). Used by Bulwark's xunit tests.
//
//   node validate-cyclonedx.js [--spec-version 1.6] FILE...
//
// Every file must declare the expected specVersion (default 1.6, the version Bulwark writes) and validate.
// Exit code: 0 all valid, 1 some file invalid, 2 usage or setup error (run ./test.sh to install the validators).
// XML documents are validated with xmllint against bom-1.6.xsd instead (see cyclonedx-catalog.xml).
'use strict';

const fs = require('node:fs');

async function main(argv) {
  let specVersion = '1.6';
  const files = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--spec-version') specVersion = argv[++i];
    else files.push(argv[i]);
  }
  if (files.length === 0 || !specVersion) {
    console.error('usage: validate-cyclonedx.js [--spec-version 1.6] FILE...');
    return 2;
  }

  let cdx;
  try {
    cdx = require('@cyclonedx/cyclonedx-library');
  } catch (e) {
    console.error(`Cannot load @cyclonedx/cyclonedx-library (${e.message}). Run ./test.sh (or npm ci in tests/validators).`);
    return 2;
  }
  const version = Object.values(cdx.Spec.Version).find(v => v === specVersion);
  if (version === undefined) {
    console.error(`Unknown CycloneDX spec version '${specVersion}'.`);
    return 2;
  }
  const validator = new cdx.Validation.JsonStrictValidator(version);

  let failed = 0;
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    let doc;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      console.error(`${file}: not JSON: ${e.message}`);
      failed++;
      continue;
    }
    if (doc.specVersion !== specVersion) {
      console.error(`${file}: specVersion is ${JSON.stringify(doc.specVersion)}, expected "${specVersion}"`);
      failed++;
      continue;
    }
    let errors;
    try {
      errors = await validator.validate(text);
    } catch (e) {
      if (e instanceof cdx.Validation.MissingOptionalDependencyError) {
        console.error(`${e.message}. Run ./test.sh (or npm ci in tests/validators).`);
        return 2;
      }
      throw e;
    }
    if (errors === null) {
      console.log(`${file}: valid CycloneDX ${specVersion}`);
    } else {
      failed++;
      console.error(`${file}: INVALID CycloneDX ${specVersion}:`);
      for (const err of errors) {
        console.error(`  ${err.instancePath || '/'}: ${err.message}${err.params ? ' ' + JSON.stringify(err.params) : ''}`);
      }
    }
  }
  return failed === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(code => { process.exitCode = code; }, e => { console.error(e); process.exitCode = 2; });
