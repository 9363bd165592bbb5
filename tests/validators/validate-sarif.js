#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// Validates SARIF 2.1.0 logs against the SARIF 2.1.0 JSON schema (schemas/sarif-schema-2.1.0.json, see schemas/README.md
// for its source) with ajv, then checks what GitHub code scanning requires of an uploaded log beyond the schema
// ("SARIF support for code scanning"): tool.driver.name, every result's ruleId defined in the driver's rules,
// properties."security-severity" a string holding a number from 0.0 to 10.0, artifact URIs relative to the repository
// root, region lines from 1, and partialFingerprints on every result.
// Usage: node validate-sarif.js FILE... ; exit 0 when every file is valid, 1 with the errors otherwise, 2 on bad usage.
"use strict";
const fs = require("fs");
const path = require("path");
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node validate-sarif.js FILE.sarif...");
  process.exit(2);
}

const schema = JSON.parse(fs.readFileSync(path.join(__dirname, "schemas", "sarif-schema-2.1.0.json"), "utf8"));
// Two defects of the published schema that stop a strict validator from compiling it, corrected here rather than in
// the stored copy: region's anyOf (a region needs startLine, charOffset or byteOffset; SARIF 2.1.0 §3.30.2) sits inside
// "properties", where it would declare a property named "anyOf"; move it to where it constrains the region.
const region = schema.definitions.region;
if (region.properties.anyOf) {
  region.anyOf = region.properties.anyOf;
  delete region.properties.anyOf;
}
// ...and the language patterns use "(?i)", which ECMAScript regular expressions lack: compile those case-insensitively.
const regExp = (pattern, flags) =>
  pattern.startsWith("^(?i)") ? new RegExp("^" + pattern.slice(5), flags + "i") : new RegExp(pattern, flags);
regExp.code = "new RegExp";

// strictRequired off: "anyOf": [{ "required": [...] }] beside "properties" is how the schema says "one of these", and
// is valid JSON Schema; strictTypes off: the schema leaves "type" implied beside "enum" and "minItems" throughout
const ajv = new Ajv2020({ strict: true, strictTypes: false, strictRequired: false, allErrors: true, code: { regExp } });
addFormats(ajv);
const validate = ajv.compile(schema);

let failed = 0;
for (const file of files) {
  let log;
  try {
    log = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    console.error(`${file}: not JSON: ${e.message}`);
    failed++;
    continue;
  }
  const problems = [];
  if (!validate(log)) {
    for (const err of validate.errors) problems.push(`${err.instancePath || "/"} ${err.message} ${JSON.stringify(err.params)}`);
  } else {
    problems.push(...githubProblems(log));
  }
  if (problems.length === 0) {
    console.log(`${file}: valid SARIF 2.1.0 for GitHub code scanning`);
  } else {
    failed++;
    for (const p of problems) console.error(`${file}: ${p}`);
  }
}
process.exit(failed === 0 ? 0 : 1);

function githubProblems(log) {
  const problems = [];
  if ((log.runs || []).length !== 1) problems.push(`expected one run, found ${(log.runs || []).length}`);
  for (const [r, run] of (log.runs || []).entries()) {
    const driver = run.tool.driver;
    if (!driver.name) problems.push(`runs[${r}].tool.driver.name is missing`);
    const rules = new Map();
    for (const [i, rule] of (driver.rules || []).entries()) {
      if (rules.has(rule.id)) problems.push(`rule ${rule.id} is defined twice`);
      rules.set(rule.id, i);
      const props = rule.properties || {};
      const severity = props["security-severity"];
      if (severity !== undefined) {
        if (typeof severity !== "string" || !/^\d+(\.\d+)?$/.test(severity) || Number(severity) > 10) {
          problems.push(`rule ${rule.id}: security-severity ${JSON.stringify(severity)} is not a number from 0.0 to 10.0 as a string`);
        }
      }
      if (!(props.tags || []).includes("security")) problems.push(`rule ${rule.id}: tags lack "security"`);
      if (!rule.shortDescription || !rule.fullDescription || !rule.help) problems.push(`rule ${rule.id}: shortDescription, fullDescription and help are expected`);
    }
    for (const [i, result] of (run.results || []).entries()) {
      const where = `runs[${r}].results[${i}]`;
      if (!rules.has(result.ruleId)) problems.push(`${where}: ruleId ${result.ruleId} is not among the driver's rules`);
      else if (result.ruleIndex !== undefined && result.ruleIndex !== rules.get(result.ruleId)) problems.push(`${where}: ruleIndex ${result.ruleIndex} does not point at ${result.ruleId}`);
      if (!result.partialFingerprints || Object.keys(result.partialFingerprints).length === 0) problems.push(`${where}: no partialFingerprints`);
      if (!result.locations || result.locations.length === 0) problems.push(`${where}: no location`);
      for (const loc of result.locations || []) {
        const uri = loc.physicalLocation && loc.physicalLocation.artifactLocation && loc.physicalLocation.artifactLocation.uri;
        if (uri === undefined) problems.push(`${where}: a location without physicalLocation.artifactLocation.uri`);
        else if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(uri) || uri.startsWith("/")) problems.push(`${where}: uri ${uri} is not relative to the repository root`);
      }
    }
  }
  return problems;
}
