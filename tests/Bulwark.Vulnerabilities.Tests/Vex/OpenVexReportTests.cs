// SPDX-License-Identifier: Apache-2.0
using System.Text;
using System.Text.Json.Nodes;
using Bulwark.Core;
using Bulwark.Sbom;
using Bulwark.Testing;
using Bulwark.Vulnerabilities.Database;
using Bulwark.Vulnerabilities.Matching;
using Bulwark.Vulnerabilities.Reports;
using Bulwark.Vulnerabilities.Vex;

namespace Bulwark.Vulnerabilities.Tests.Vex;

public sealed class OpenVexReportTests
{
    private static readonly string Testdata = Path.Combine(TestPaths.Project("Bulwark.Vulnerabilities.Tests"), "Vex", "testdata");
    private static readonly DateTimeOffset Created = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    private static ScanReport Report(IEnumerable<Finding> findings, string vex)
    {
        // named as a user would pass it, so the golden output does not depend on where the repository is
        var statements = VexDocuments.Parse(File.ReadAllBytes(Path.Combine(Testdata, vex)), vex).Statements;
        var outcome = VexApplier.Apply(findings, statements);
        var packages = outcome.Kept.Concat(outcome.Suppressed.Select(s => s.Finding)).Select(f => f.Package).DistinctBy(p => p.Purl).OrderBy(p => p.Purl).ToList();
        return new ScanReport
        {
            Sbom = new Bulwark.Sbom.Sbom { Subject = new SbomSubject { Name = "acme-portal" }, Packages = [.. packages], Created = Created },
            Target = "./acme-portal",
            Findings = outcome.Kept,
            Suppressed = outcome.Suppressed,
            Annotated = outcome.Annotated,
            Database = new DatabaseStatus("/cache/bulwark/db/vulns.db", "https://osv-vulnerabilities.storage.googleapis.com", null, Created, Created, 1 << 20, []),
            Created = Created,
            ToolVersion = "0.1.0",
        };
    }

    private static byte[] Write(ScanReport report)
    {
        using var output = new MemoryStream();
        OpenVexReport.Write(report, output);
        return output.ToArray();
    }

    private static List<Finding> AcmeFindings() =>
    [
        Findings.For("pkg:npm/lodash@4.17.15", "GHSA-35jh-r3h4-6jhm", ["CVE-2021-23337"], "4.17.21"),
        Findings.For("pkg:npm/lodash@4.17.15", "GHSA-29mw-wpgm-hmr9", ["CVE-2020-28500"], "4.17.21"),
        Findings.For("pkg:pypi/flask-cors@4.0.0", "GHSA-84pr-m4jr-85g5", ["CVE-2024-1681"], null),
        Findings.For("pkg:pypi/idna@3.6", "GHSA-jjg7-2v4v-x38h", ["CVE-2024-3651"], "3.7"),
        Findings.For("pkg:nuget/Moment.js@2.29.1", "GHSA-8hfj-j24r-96c4", ["CVE-2022-24785"], "2.29.2"),
        Findings.For("pkg:npm/express@4.19.2", "GHSA-qw6h-vgh9-j6wx", ["CVE-2024-43796"], "4.20.0"),
        Findings.For("pkg:npm/flatmap-stream@0.1.1", "MAL-2022-1", [], null) with { Kind = FindingKind.Malicious },
    ];

    [Fact]
    public void A_scan_report_becomes_one_statement_per_finding_sorted_like_findings()
    {
        var document = Write(Report(AcmeFindings(), "cyclonedx-vex.json"));

        ExternalValidators.AssertValid("validate-openvex.js", document);
        Golden.Assert(Encoding.UTF8.GetString(document));
    }

    [Fact]
    public void A_report_without_findings_has_an_empty_statements_list()
    {
        // OpenVEX cannot say "nothing found": its schema wants at least one statement, so this one document does not
        // validate; an empty list says what is true, where a made-up statement would not
        var json = JsonNode.Parse(Write(Report([], "cyclonedx-vex.json")))!.AsObject();
        Assert.Empty(json["statements"]!.AsArray());
        Assert.Equal(1, json["version"]!.GetValue<int>());
    }

    [Fact]
    public void Standing_findings_are_affected_with_the_fixed_version_and_suppressed_ones_keep_their_VEX_status()
    {
        var json = JsonNode.Parse(Write(Report(AcmeFindings(), "cyclonedx-vex.json")))!.AsObject();
        var statements = json["statements"]!.AsArray().Select(s => s!.AsObject()).ToList();
        JsonObject For(string id) => statements.Single(s => s["vulnerability"]!["name"]!.GetValue<string>() == id);

        Assert.Equal("Bulwark", json["author"]!.GetValue<string>());
        Assert.Equal("bulwark 0.1.0", json["tooling"]!.GetValue<string>());
        Assert.Equal(7, statements.Count);

        var express = For("GHSA-qw6h-vgh9-j6wx");
        Assert.Equal("affected", express["status"]!.GetValue<string>());
        Assert.Equal("Update express from 4.19.2 to 4.20.0 or later.", express["action_statement"]!.GetValue<string>());
        Assert.Equal(["CVE-2024-43796"], express["vulnerability"]!["aliases"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal("pkg:npm/express@4.19.2", express["products"]![0]!["@id"]!.GetValue<string>());

        Assert.Equal("Remove flatmap-stream 0.1.1: it is reported as malicious (MAL-2022-1).", For("MAL-2022-1")["action_statement"]!.GetValue<string>());

        var lodash = For("GHSA-35jh-r3h4-6jhm");
        Assert.Equal("not_affected", lodash["status"]!.GetValue<string>());
        Assert.Equal("acme-portal never passes user input to _.template. (justification: code_not_reachable)", lodash["impact_statement"]!.GetValue<string>());
        Assert.Equal("2024-05-21T09:30:00Z", lodash["timestamp"]!.GetValue<string>());

        // an exploitable analysis keeps its recommendation; in_triage stays under investigation
        Assert.Equal("affected", For("GHSA-84pr-m4jr-85g5")["status"]!.GetValue<string>());
        Assert.Equal("Upgrade flask-cors to 4.0.1. (response: update)", For("GHSA-84pr-m4jr-85g5")["action_statement"]!.GetValue<string>());
        Assert.Equal("under_investigation", For("GHSA-8hfj-j24r-96c4")["status"]!.GetValue<string>());
    }
}
