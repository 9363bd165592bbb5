// SPDX-License-Identifier: Apache-2.0
using System.Text.Json;
using System.Text.Json.Nodes;
using Bulwark.Core;
using Bulwark.Fuzzing.Mutation;
using Bulwark.Vulnerabilities.Database;
using Bulwark.Vulnerabilities.Matching;
using VulnerabilityFinding = Bulwark.Vulnerabilities.Matching.Finding;
using Bulwark.Vulnerabilities.Osv;
using Bulwark.Vulnerabilities.Vex;

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

/// The vulnerability database's round trip of a record: read as `db update` reads it (the serializer and the
/// checks), compacted for storage, and read back as `scan` reads it (the direct reader, falling back to the
/// serializer). Every record read must come back with the same values, and the direct reader must agree with the
/// serializer on the raw input whenever it takes it. Allowed: <see cref="InvalidOsvRecordException"/>.
public sealed class OsvStoredTarget : FuzzTarget
{
    public override string Name => "osv.stored";
    public override InputFormat Format => InputFormat.Json;

    public override bool IsSeed(string relativePath) =>
        relativePath.EndsWith(".json", StringComparison.Ordinal) && relativePath.Contains("/osv/", StringComparison.Ordinal);

    public override IReadOnlyList<string> Dictionary { get; } =
        ["introduced", "fixed", "last_affected", "limit", "ECOSYSTEM", "SEMVER", "null", "\"id\"", "\"modified\"", "\"affected\"",
         "\"aliases\"", "\"withdrawn\"", "\"database_specific\"", "\"ecosystem_specific\"", "\"severity\"", "\"ranges\"", "\"events\"",
         "\"versions\"", "\"package\"", "\"ecosystem\"", "\"name\"", "\"purl\"", "\\u0000", "\\ud83d\\ude00", "1e400", "-0", "[]", "{}"];

    public override void Run(byte[] input)
    {
        var record = OsvReader.Parse(input, "fuzz input");
        var expected = Values(record);
        // the direct reader (with the checks, as a scan runs it) on the raw input: the serializer's values
        var read = Values(OsvReader.ParseStored(input, record.Id));
        if (read != expected)
            throw new PropertyViolationException($"the direct reader read the input differently:\n{read}\n--- serializer\n{expected}");
        var stored = StoredJson.Compact(input, record);
        var back = Kept(OsvReader.ParseStored(stored, record.Id));
        if (back != Kept(record))
            throw new PropertyViolationException($"the stored record reads back differently:\n{back}\n--- as read\n{Kept(record)}");
    }

    // every value of a record, as the serializer writes them
    private static string Values(OsvRecord record) => JsonSerializer.Serialize(record, OsvJsonContext.Default.OsvRecord);

    // the values the stored form keeps (StoredJson's remarks): the others removed from both sides of the comparison
    private static string Kept(OsvRecord record)
    {
        var node = JsonSerializer.SerializeToNode(record, OsvJsonContext.Default.OsvRecord)!.AsObject();
        foreach (var name in (string[])["schema_version", "related", "upstream", "credits"]) node.Remove(name);
        if (!string.IsNullOrWhiteSpace(record.Summary)) node.Remove("details");
        KeepOnly(node, "database_specific", "severity", "ubuntu_priority");
        if (node["affected"] is JsonArray affected)
            foreach (var entry in affected.OfType<JsonObject>())
            {
                entry.Remove("ecosystem_specific");
                entry.Remove("database_specific");
                if (entry["ranges"] is JsonArray ranges)
                    foreach (var range in ranges.OfType<JsonObject>())
                    {
                        range.Remove("repo");
                        range.Remove("database_specific");
                    }
            }
        return node.ToJsonString();
    }

    private static void KeepOnly(JsonObject parent, string name, params string[] members)
    {
        if (parent[name] is not JsonObject inner)
        {
            parent.Remove(name);
            return;
        }
        foreach (var key in inner.Select(p => p.Key).Where(k => !members.Contains(k)).ToList()) inner.Remove(key);
    }

    public override bool IsExpected(Exception e) => e is InvalidOsvRecordException;
}
