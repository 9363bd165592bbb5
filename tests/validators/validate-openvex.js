#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// Validates OpenVEX documents against the official OpenVEX 0.2.0 JSON schema (draft 2020-12) with ajv in strict
// mode, formats asserted (date-time and uri from ajv-formats, iri below). The schema is
// openvex/spec's openvex_json_schema.json (see openvex/README.md for where it came from). Beyond the schema it checks
// that @context names the 0.2.0 context, as Bulwark writes it.
// Usage: node validate-openvex.js FILE... ; exits 0 when every file is valid, 1 with the errors otherwise, 2 on bad usage.
"use strict";
const fs = require("fs");
const path = require("path");
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;

// RFC 3987 section 2.2: IRI = scheme ":" ihier-part [ "?" iquery ] [ "#" ifragment ]. ajv-formats-draft2019's "iri"
// also demands an IANA-registered scheme and no fragment, which would refuse the purls OpenVEX itself uses as @id
// ("As Package URLs are valid IRIs, the @id can take a purl") and any IRI with a #fragment.
const ichar = "(?:[A-Za-z0-9\\-._~!$&'()*+,;=:@/?\\[\\]]|%[0-9A-Fa-f]{2}|[\\u00A0-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFEF])";
const iriPattern = new RegExp(`^[A-Za-z][A-Za-z0-9+.\\-]*:${ichar}*(?:#${ichar}*)?$`, "u");

const schemaPath = path.join(__dirname, "openvex", "openvex_json_schema.json");
const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node validate-openvex.js FILE.openvex.json...");
  process.exit(2);
}

// strictRequired off: the schema's if/then branches list required members defined beside them, not inside them,
// which is valid JSON Schema that ajv's strict mode flags
const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
addFormats(ajv);
ajv.addFormat("iri", iriPattern);
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
  const problems = [];
  if (!validate(doc)) {
    for (const err of validate.errors) problems.push(`${err.instancePath || "/"} ${err.message} ${JSON.stringify(err.params)}`);
  } else if (doc["@context"] !== "https://openvex.dev/ns/v0.2.0") {
    problems.push(`@context is ${doc["@context"]}, expected https://openvex.dev/ns/v0.2.0`);
  }
  if (problems.length === 0) {
    console.log(`${file}: valid OpenVEX 0.2.0`);
  } else {
    failed++;
    for (const p of problems) console.error(`${file}: ${p}`);
  }
}
process.exit(failed === 0 ? 0 : 1);
