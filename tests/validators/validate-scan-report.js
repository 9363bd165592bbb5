#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// Validates Bulwark JSON scan reports (`bulwark scan --format json`) against docs/scan-report.schema.json with ajv in
// strict mode (formats asserted), then checks what the schema cannot say: the summary counts agree with the arrays,
// findings are sorted by package purl then id, and every annotation names a finding in the report.
// Usage: node validate-scan-report.js FILE... ; exit 0 when every file is valid, 1 with the errors otherwise, 2 on bad usage.
"use strict";
const fs = require("fs");
const path = require("path");
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node validate-scan-report.js FILE.json...");
  process.exit(2);
}
const schemaPath = path.join(__dirname, "..", "..", "docs", "scan-report.schema.json");
const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, "utf8")));

let failed = 0;
for (const file of files) {
  let report;
  try {
    report = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    console.error(`${file}: not JSON: ${e.message}`);
    failed++;
    continue;
  }
  const problems = [];
  if (!validate(report)) {
    for (const err of validate.errors) problems.push(`${err.instancePath || "/"} ${err.message} ${JSON.stringify(err.params)}`);
  } else {
    problems.push(...semanticProblems(report));
  }
  if (problems.length === 0) {
    console.log(`${file}: valid Bulwark scan report ${report.schemaVersion}`);
  } else {
    failed++;
    for (const p of problems) console.error(`${file}: ${p}`);
  }
}
process.exit(failed === 0 ? 0 : 1);

function semanticProblems(report) {
  const problems = [];
  const s = report.summary;
  const expect = (name, actual, wanted) => { if (actual !== wanted) problems.push(`summary.${name} is ${actual}, the report holds ${wanted}`); };
  expect("findings", s.findings, report.findings.length);
  expect("suppressed", s.suppressed, report.suppressed.length);
  expect("annotated", s.annotated, report.annotations.length);
  expect("unmatchable", s.unmatchable, report.unmatchable.length);
  expect("problems", s.problems, report.problems.length);
  const level = (f) => (f.severity ? f.severity.level : "unknown");
  for (const band of ["critical", "high", "medium", "low", "none", "unknown"]) {
    expect(`bySeverity.${band}`, s.bySeverity[band], report.findings.filter((f) => level(f) === band).length);
  }
  for (const kind of ["vulnerability", "malicious"]) {
    expect(`byKind.${kind}`, s.byKind[kind], report.findings.filter((f) => f.kind === kind).length);
  }
  const key = (f) => [f.package.purl, f.id];
  const ordinal = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  for (let i = 1; i < report.findings.length; i++) {
    const [a, b] = [key(report.findings[i - 1]), key(report.findings[i])];
    if ((ordinal(a[0], b[0]) || ordinal(a[1], b[1])) > 0) problems.push(`findings[${i}] (${b.join(" ")}) is out of order`);
  }
  for (const f of [...report.findings, ...report.suppressed.map((x) => x.finding)]) {
    if (!f.ids.includes(f.id)) problems.push(`finding ${f.id}: ids does not include the id`);
  }
  const known = new Set(report.findings.map((f) => `${f.id} ${f.package.purl}`));
  for (const a of report.annotations) {
    if (!known.has(`${a.id} ${a.purl}`)) problems.push(`annotation ${a.id} ${a.purl} names no finding in the report`);
  }
  return problems;
}
