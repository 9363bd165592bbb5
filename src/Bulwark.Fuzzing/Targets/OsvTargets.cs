// SPDX-License-Identifier: Apache-2.0
using System.Text.Json;
using System.Text.Json.Nodes;
using Bulwark.Fuzzing.Mutation;
using Bulwark.Versions;
using Bulwark.Vulnerabilities.Database;
using Bulwark.Vulnerabilities.Matching;
using Bulwark.Vulnerabilities.Osv;

namespace Bulwark.Fuzzing.Targets;

/// The OSV record reader and, for a record it accepts, the range evaluator (src/Bulwark.Vulnerabilities): every
/// affected entry evaluated against the versions the record names. Allowed: <see cref="InvalidOsvRecordException"/>;
/// an evaluator answers with hits and problems, never an exception.
public sealed class OsvTarget : FuzzTarget
{
    public override string Name => "osv.record";
    public override InputFormat Format => InputFormat.Json;

    public override bool IsSeed(string relativePath) => IsOsvRecord(relativePath);

    /// An OSV record of the test data (the osv/ folders).
    internal static bool IsOsvRecord(string relativePath) =>
        relativePath.EndsWith(".json", StringComparison.Ordinal) && relativePath.Contains("/osv/", StringComparison.Ordinal);

    public override IReadOnlyList<string> Dictionary { get; } =
        ["introduced", "fixed", "last_affected", "limit", "ECOSYSTEM", "SEMVER", "GIT", "0", "*", "npm", "PyPI", "Debian:12", "Alpine:v3.19",
         "Maven", "Go", "crates.io", "RubyGems", "NuGet", "Packagist", "Pub", "Red Hat", "affected", "ranges", "events", "versions",
         "database_specific", "ecosystem_specific", "modified", "aliases", "withdrawn", "severity", "CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"];

    public override void Run(byte[] input)
    {
        var record = OsvReader.Parse(input, "fuzz input");
        for (var a = 0; a < record.Affected.Count; a++)
        {
            var entry = record.Affected[a];
            if (entry.Package is not { } package) continue;
            VersionScheme scheme;
            try
            {
                scheme = VersionSchemes.For(package.Ecosystem);
            }
            catch (UnsupportedEcosystemException)
            {
                continue;   // the matcher reports such a package as unmatchable, by design
            }
            var cache = new VersionCache(scheme);
            var candidates = entry.Versions.Concat(entry.Ranges.SelectMany(r => r.Events)
                .Select(e => e.Introduced ?? e.Fixed ?? e.LastAffected ?? e.Limit ?? "")).Append("0.0.1").Append("99.0").Take(64);
            foreach (var installed in candidates)
            {
                if (cache.Parse(installed) is not { } version) continue;
                AffectedEvaluator.Evaluate(entry, package.Name, installed, version, cache, [], [], a);
            }
        }
    }

    public override bool IsExpected(Exception e) => e is InvalidOsvRecordException;
}

/// The vulnerability database's round trip of a record: read as `db update` reads it (the serializer and the
/// checks), compacted for storage, and read back as `scan` reads it (the direct reader, falling back to the
/// serializer). Every record read must come back with the same values, and the direct reader must agree with the
/// serializer on the raw input whenever it takes it. Allowed: <see cref="InvalidOsvRecordException"/>.
public sealed class OsvStoredTarget : FuzzTarget
{
    public override string Name => "osv.stored";
    public override InputFormat Format => InputFormat.Json;

    public override bool IsSeed(string relativePath) => OsvTarget.IsOsvRecord(relativePath);

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
