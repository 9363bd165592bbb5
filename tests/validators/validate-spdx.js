#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// Validates SPDX 2.3 JSON documents against the SPDX 2.3.1 JSON schema (draft 2019-09) with ajv in strict mode.
// Usage: node validate-spdx.js FILE... ; exits 0 when every file is valid, 1 with the errors otherwise, 2 on bad usage.
"use strict";
const fs = require("fs");
const path = require("path");
const Ajv2019 = require("ajv/dist/2019").default;
const addFormats = require("ajv-formats").default;

const schemaPath = process.env.SPDX_SCHEMA
  || path.join(__dirname, "..", "..", "..", "shared", "corpora", "spdx-spec", "v2.3.1", "spdx-schema.json");
const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node validate-spdx.js FILE.spdx.json...");
  process.exit(2);
}
if (!fs.existsSync(schemaPath)) {
  console.error(`SPDX schema not found at ${schemaPath}; set SPDX_SCHEMA to its path.`);
  process.exit(2);
}

const ajv = new Ajv2019({ strict: true, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, "utf8")));

let failed = 0;
for (const file of files) {
  let doc;
  try {
    doc = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    console.error(`${file}: not JSON: ${e.message}`);
    failed++;
    continue;
  }
  if (validate(doc)) {
    console.log(`${file}: valid SPDX 2.3 JSON`);
  } else {
    failed++;
    for (const err of validate.errors) {
      console.error(`${file}: ${err.instancePath || "/"} ${err.message} ${JSON.stringify(err.params)}`);
    }
  }
}
process.exit(failed === 0 ? 0 : 1);
