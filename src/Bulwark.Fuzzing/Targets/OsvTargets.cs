// SPDX-License-Identifier: Apache-2.0
using Bulwark.Fuzzing.Mutation;
using Bulwark.Versions;
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

    public override bool IsSeed(string relativePath) =>
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
