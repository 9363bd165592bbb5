// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;
using Bulwark.Vulnerabilities.Matching;
using Bulwark.Vulnerabilities.Vex;
using VulnerabilityFinding = Bulwark.Vulnerabilities.Matching.Finding;

namespace Bulwark.Fuzzing.Targets;

/// VEX documents as `scan --vex` reads them (OpenVEX, CycloneDX VEX in JSON and XML; src/Bulwark.Vulnerabilities/Vex),
/// and every statement read applied to findings for the products it names. Allowed: <see cref="InputException"/>.
public sealed class VexTarget : FuzzTarget
{
    public override string Name => "vex.document";

    public override bool IsSeed(string relativePath) =>
        relativePath.Contains("vex", StringComparison.OrdinalIgnoreCase)
        && (relativePath.EndsWith(".json", StringComparison.Ordinal) || relativePath.EndsWith(".xml", StringComparison.Ordinal));

    public override IReadOnlyList<string> Dictionary { get; } =
        ["not_affected", "affected", "fixed", "under_investigation", "vulnerable_code_not_present", "component_not_present", "justification",
         "statements", "products", "vulnerability", "@id", "subcomponents", "pkg:npm/lodash@4.17.15", "pkg:deb/debian/openssl@3.0.11?arch=amd64",
         "CVE-2021-23337", "GHSA-35jh-r3h4-6jhm", "aliases", "analysis", "state", "affects", "ref", "bom-ref", "urn:cdx:", "\"@context\"",
         "https://openvex.dev/ns/v0.2.0", "timestamp", "2024-01-01T00:00:00Z"];

    public override void Run(byte[] input)
    {
        var document = VexDocuments.Parse(input, "fuzz input");
        // a finding per statement: its vulnerability in the first product it names, so applying has work to do
        var findings = new List<VulnerabilityFinding>();
        foreach (var s in document.Statements.Take(50))
        {
            if (s.Products.IsDefaultOrEmpty || s.Products[0].Version is not { } version) continue;
            var purl = s.Products[0];
            // the ecosystem plays no part in applying VEX, which compares purls
            var package = new Package { Ecosystem = Ecosystem.Npm, Name = purl.Name, Version = version, Purl = purl, Locations = [new FileLocation("fuzz")] };
            findings.Add(new VulnerabilityFinding
            {
                Id = s.VulnerabilityId, Ids = [s.VulnerabilityId], Kind = FindingKind.Vulnerability, Package = package,
                InstalledVersion = version, Evidence = [],
            });
        }
        _ = VexApplier.Apply(findings, document.Statements);
    }
}
