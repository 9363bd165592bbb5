#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// Validates SPDX 2.3 JSON documents against the SPDX 2.3.1 JSON schema (draft 2019-09) with ajv in strict mode,
// then checks the rules the schema cannot express (SPDX 2.3 clauses in the messages): unique well-formed SPDXIDs,
// relationships between defined elements, license expressions that parse (with the independent spdx-expression-parse)
// and whose LicenseRefs are all declared, UTC creation time, a DESCRIBES from the document.
// Usage: node validate-spdx.js FILE... ; exits 0 when every file is valid, 1 with the errors otherwise, 2 on bad usage.
"use strict";
const fs = require("fs");
const path = require("path");
const Ajv2019 = require("ajv/dist/2019").default;
const addFormats = require("ajv-formats").default;
const parseExpression = require("spdx-expression-parse");

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
  const problems = [];
  if (!validate(doc)) {
    for (const err of validate.errors) problems.push(`${err.instancePath || "/"} ${err.message} ${JSON.stringify(err.params)}`);
  } else {
    problems.push(...semanticProblems(doc));
  }
  if (problems.length === 0) {
    console.log(`${file}: valid SPDX 2.3 JSON`);
  } else {
    failed++;
    for (const p of problems) console.error(`${file}: ${p}`);
  }
}
process.exit(failed === 0 ? 0 : 1);

function semanticProblems(doc) {
  const problems = [];
  if (doc.spdxVersion !== "SPDX-2.3") problems.push(`spdxVersion is ${doc.spdxVersion}, expected SPDX-2.3`);
  if (doc.dataLicense !== "CC0-1.0") problems.push("dataLicense must be CC0-1.0 (6.2)");
  if (doc.SPDXID !== "SPDXRef-DOCUMENT") problems.push("the document SPDXID must be SPDXRef-DOCUMENT (6.3)");
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(doc.creationInfo.created)) {
    problems.push(`creationInfo.created '${doc.creationInfo.created}' is not YYYY-MM-DDThh:mm:ssZ (6.9)`);
  }
  const ids = new Set([doc.SPDXID]);
  const elements = [...(doc.packages || []), ...(doc.files || []), ...(doc.snippets || [])];
  for (const e of elements) {
    if (!/^SPDXRef-[A-Za-z0-9.-]+$/.test(e.SPDXID)) problems.push(`SPDXID '${e.SPDXID}' is not SPDXRef-[A-Za-z0-9.-]+ (7.2)`);
    if (ids.has(e.SPDXID)) problems.push(`SPDXID '${e.SPDXID}' is used twice`);
    ids.add(e.SPDXID);
  }
  const declared = new Set((doc.hasExtractedLicensingInfos || []).map((e) => e.licenseId));
  for (const p of doc.packages || []) {
    if (p.filesAnalyzed === false && (p.packageVerificationCode || (p.hasFiles || []).length > 0)) {
      problems.push(`${p.SPDXID}: filesAnalyzed is false but it has files or a verification code (7.8)`);
    }
    for (const field of ["licenseDeclared", "licenseConcluded"]) {
      const value = p[field];
      if (value === undefined || value === "NOASSERTION" || value === "NONE") continue;
      let tree;
      try {
        tree = parseExpression(value);
      } catch (e) {
        problems.push(`${p.SPDXID}: ${field} '${value}' is not an SPDX license expression (annex D): ${e.message}`);
        continue;
      }
      for (const ref of licenseRefs(tree)) {
        if (!ref.includes(":") && !declared.has(ref)) {
          problems.push(`${p.SPDXID}: ${field} uses ${ref}, which hasExtractedLicensingInfos does not declare (10.1)`);
        }
      }
    }
  }
  const special = (id) => id === "NOASSERTION" || id === "NONE" || id.startsWith("DocumentRef-");
  let describes = (doc.documentDescribes || []).length;
  for (const r of doc.relationships || []) {
    for (const end of [r.spdxElementId, r.relatedSpdxElement]) {
      if (!ids.has(end) && !special(end)) problems.push(`relationship ${r.spdxElementId} ${r.relationshipType} ${r.relatedSpdxElement}: ${end} is not defined in the document`);
    }
    if (r.spdxElementId === doc.SPDXID && r.relationshipType === "DESCRIBES") describes++;
  }
  if (describes === 0) problems.push("the document DESCRIBES nothing (6.1, 11.1)");
  return problems;
}

function licenseRefs(tree) {
  if (tree.license !== undefined) return tree.license.startsWith("LicenseRef-") || tree.license.startsWith("DocumentRef-") ? [tree.license] : [];
  return [...licenseRefs(tree.left), ...licenseRefs(tree.right)];
}
