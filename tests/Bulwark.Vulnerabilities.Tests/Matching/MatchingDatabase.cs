// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using System.IO.Compression;
using Bulwark.Core;
using Bulwark.Testing;
using Bulwark.Vulnerabilities.Database;
using Bulwark.Vulnerabilities.Matching;

namespace Bulwark.Vulnerabilities.Tests.Matching;

/// A database built by the real updater from the pinned records in Matching/testdata (laid out as osv/&lt;Ecosystem&gt;/&lt;ID&gt;.json
/// and malicious/&lt;Ecosystem&gt;/&lt;ID&gt;.json), zipped into a bucket-shaped mirror first.
public sealed class MatchingDatabase : IDisposable
{
    public static string TestData => Path.Combine(TestPaths.Project("Bulwark.Vulnerabilities.Tests"), "Matching", "testdata");

    public MatchingDatabase() : this(TestData)
    {
    }

    /// A database of the records under <paramref name="records"/> (osv/&lt;Ecosystem&gt;/&lt;ID&gt;.json, and malicious/… if present).
    public static MatchingDatabase Of(string records) => new(records);

    // xunit's class fixtures need exactly one public constructor
    private MatchingDatabase(string records)
    {
        Root = Path.Combine(Path.GetTempPath(), "bulwark-matching-" + Guid.NewGuid().ToString("N"));
        foreach (var tree in new[] { "osv", "malicious" })
        {
            var ecosystems = new List<string>();
            var source = Path.Combine(records, tree);
            foreach (var folder in Directory.Exists(source) ? Directory.GetDirectories(source).Order(StringComparer.Ordinal).ToArray() : [])
            {
                var ecosystem = Path.GetFileName(folder);
                ecosystems.Add(ecosystem);
                Directory.CreateDirectory(Path.Combine(Root, tree, ecosystem));
                using var zip = ZipFile.Open(Path.Combine(Root, tree, ecosystem, "all.zip"), ZipArchiveMode.Create);
                foreach (var file in Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal))
                    zip.CreateEntryFromFile(file, Path.GetFileName(file));
            }
            Directory.CreateDirectory(Path.Combine(Root, tree));
            File.WriteAllLines(Path.Combine(Root, tree, "ecosystems.txt"), ecosystems);
        }
        using var http = new HttpClient();
        new DatabaseUpdater(http).UpdateAsync(new UpdateOptions { Directory = Path.Combine(Root, "db"), Source = Path.Combine(Root, "osv") })
            .GetAwaiter().GetResult();
        Database = VulnerabilityDatabase.Open(Path.Combine(Root, "db"));
    }

    public string Root { get; }
    public VulnerabilityDatabase Database { get; }

    public MatchResult Match(params string[] purls) => new Matcher(Database).Match(Sbom(purls));

    /// An SBOM of packages made from purls, with no dependency graph.
    public static Bulwark.Sbom.Sbom Sbom(IEnumerable<string> purls, Func<Package, Package>? edit = null) => new()
    {
        Subject = new Bulwark.Sbom.SbomSubject { Name = "test" },
        Packages = [.. purls.Select(p => (edit ?? (x => x))(PackageOf(p))).OrderBy(p => p.Purl.ToString(), StringComparer.Ordinal)],
        Created = DateTimeOffset.UnixEpoch,
    };

    public static Package PackageOf(string text)
    {
        var purl = Purl.Parse(text);
        var ecosystem = Ecosystem.FromPurlType(purl.Type) ?? Ecosystem.Generic;
        var name = purl.Type == "maven" ? $"{purl.Namespace}:{purl.Name}" : purl.Namespace is null ? purl.Name : $"{purl.Namespace}/{purl.Name}";
        return new Package { Ecosystem = ecosystem, Name = name, Version = purl.Version ?? "", Purl = purl };
    }

    public void Dispose()
    {
        Database.Dispose();
        Directory.Delete(Root, recursive: true);
    }
}

/// Shorthands for assertions on match results.
internal static class MatchResultExtensions
{
    public static Finding Single(this MatchResult result, string id) =>
        Assert.Single(result.Findings, f => f.Id == id);

    public static ImmutableArray<string> Ids(this MatchResult result) => [.. result.Findings.Select(f => f.Id)];
}
