// SPDX-License-Identifier: Apache-2.0
using System.Text.Json;
using Bulwark.Versions;
using Bulwark.Vulnerabilities.Tests.Matching;
using FsCheck;
using FsCheck.Fluent;

namespace Bulwark.Vulnerabilities.Tests.Properties;

/// The whole matching pipeline (records imported by the real updater, looked up, evaluated) against the OSV schema's
/// own evaluation pseudo-code, over advisories and installed versions FsCheck generates: ranges of introduced, fixed
/// and last_affected events (unsorted, several intervals, "introduced: 0"), explicit versions lists, several ranges and
/// affected entries per record, in npm (SEMVER), PyPI and Maven (ECOSYSTEM).
public sealed class RangeMatchingPropertiesTests : IDisposable
{
    private static readonly Dictionary<string, (string Purl, string RangeType, string[] Versions)> Ecosystems = new()
    {
        ["npm"] = ("npm", "SEMVER", ["0.0.1", "0.1.0", "1.0.0-alpha", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "1.2.0-beta.2", "1.2.0", "2.0.0", "2.0.1", "3.0.0"]),
        ["PyPI"] = ("pypi", "ECOSYSTEM", ["0.1", "0.9", "1.0a1", "1.0rc1", "1.0", "1.0.post1", "1.0.1", "1.1", "1.2.dev3", "1.2", "2.0", "10.0"]),
        ["Maven"] = ("maven", "ECOSYSTEM", ["0.1", "0.9", "1.0-alpha-1", "1.0-SNAPSHOT", "1.0", "1.0.1", "1.1", "1.2-rc1", "1.2", "2.0", "2.0.1", "10.0"]),
    };

    private static readonly string[] Names = ["alpha", "beta", "gamma"];

    private sealed record Range(string Type, (string Kind, string Version)[] Events);

    private sealed record Affected(string Ecosystem, string Name, Range[] Ranges, string[] Versions);

    private sealed record Advisory(string Id, Affected[] Affected);

    private readonly string _records = Path.Combine(Path.GetTempPath(), "bulwark-ranges-" + Guid.NewGuid().ToString("N"));

    private static Gen<Range> RangeOf(string ecosystem)
    {
        var (_, type, versions) = Ecosystems[ecosystem];
        var order = VersionSchemes.For(ecosystem);
        // distinct versions, so no two events tie (the schema leaves the order of tied events open)
        return from count in Gen.Choose(1, 5)
               from picked in Gen.SubListOf(versions).Where(l => l.Count >= count)
               from zero in Gen.Elements(true, false)
               from closing in Gen.Elements("fixed", "last_affected")
               from shuffled in Gen.Shuffle(picked.Take(count).Order(order).ToArray())
               select new Range(type, Events(picked.Take(count).Order(order).ToArray(), zero, closing, shuffled));

        // alternate introduced and closing events up the sorted versions; listed in shuffled order
        static (string, string)[] Events(string[] sorted, bool zero, string closing, string[] shuffled)
        {
            var kinds = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < sorted.Length; i++) kinds[sorted[i]] = i % 2 == 0 ? "introduced" : closing;
            var events = shuffled.Select(v => (kinds[v], v)).ToList();
            if (zero) events.Insert(0, ("introduced", "0"));
            return [.. events];
        }
    }

    private static readonly Gen<Affected> AffectedGen =
        from ecosystem in Gen.Elements(Ecosystems.Keys.ToArray())
        from name in Gen.Elements(Names)
        from rangeCount in Gen.Choose(0, 2)
        from ranges in Gen.ArrayOf(RangeOf(ecosystem), rangeCount)
        from explicitVersions in Gen.SubListOf(Ecosystems[ecosystem].Versions).Select(l => l.Take(3).ToArray())
        where rangeCount > 0 || explicitVersions.Length > 0
        select new Affected(ecosystem, name, ranges, explicitVersions);

    [Fact]
    public void Findings_are_exactly_what_the_OSV_evaluation_says()
    {
        var advisories = Gen.Choose(1, 2).SelectMany(n => Gen.ArrayOf(AffectedGen, n))
            .Sample(400, new Rnd(20261122UL, 67UL), 10).Select((a, i) => new Advisory($"GEN-{i:D4}", a)).ToArray();
        foreach (var a in advisories) Write(a);
        using var db = MatchingDatabase.Of(_records);

        // every (ecosystem, name, version) once, one SBOM
        var components = (from e in Ecosystems from n in Names from v in e.Value.Versions select (Ecosystem: e.Key, Name: n, Version: v)).ToArray();
        var purls = components.Select(c => c.Ecosystem == "Maven" ? $"pkg:maven/org.example/{c.Name}@{c.Version}" : $"pkg:{Ecosystems[c.Ecosystem].Purl}/{c.Name}@{c.Version}");
        var result = db.Match([.. purls]);
        Assert.Empty(result.Problems);

        var actual = result.Findings.SelectMany(f => f.Evidence.Select(e => $"{f.Package.Purl} {e.RecordId}")).ToHashSet(StringComparer.Ordinal);
        var expected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in components)
        {
            var purl = c.Ecosystem == "Maven" ? $"pkg:maven/org.example/{c.Name}@{c.Version}" : $"pkg:{Ecosystems[c.Ecosystem].Purl}/{c.Name}@{c.Version}";
            foreach (var a in advisories)
                if (a.Affected.Any(x => x.Ecosystem == c.Ecosystem && x.Name == c.Name && IsAffected(c.Ecosystem, c.Version, x)))
                    expected.Add($"{purl} {a.Id}");
        }
        Assert.True(expected.Count > 100 && expected.Count < components.Length * advisories.Length / 2, $"{expected.Count} expected matches: the generated set should exercise both outcomes");
        var missing = expected.Except(actual).Order(StringComparer.Ordinal).Take(10).ToList();
        var extra = actual.Except(expected).Order(StringComparer.Ordinal).Take(10).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"missing: {string.Join("; ", missing.Select(m => Explain(m, advisories)))}\nextra: {string.Join("; ", extra.Select(m => Explain(m, advisories)))}");
    }

    /// The OSV schema's evaluation: a listed version is affected; else, for each range, walk the events sorted by
    /// version ("0" first): introduced at or below v sets affected, fixed at or below v clears it, last_affected
    /// below v clears it.
    private static bool IsAffected(string ecosystem, string version, Affected affected)
    {
        var scheme = VersionSchemes.For(ecosystem);
        var v = scheme.Parse(version);
        if (affected.Versions.Any(x => scheme.Parse(x).CompareTo(v) == 0)) return true;
        foreach (var range in affected.Ranges)
        {
            var sorted = range.Events.OrderBy(e => e.Version == "0" ? 0 : 1).ThenBy(e => e.Version == "0" ? null : scheme.Parse(e.Version)).ToArray();
            var vulnerable = false;
            foreach (var (kind, at) in sorted)
            {
                var c = at == "0" ? 1 : v.CompareTo(scheme.Parse(at));
                if (kind == "introduced" && c >= 0) vulnerable = true;
                else if (kind == "fixed" && c >= 0) vulnerable = false;
                else if (kind == "last_affected" && c > 0) vulnerable = false;
            }
            if (vulnerable) return true;
        }
        return false;
    }

    private void Write(Advisory a)
    {
        foreach (var ecosystem in a.Affected.Select(x => x.Ecosystem).Distinct())
        {
            var dir = Path.Combine(_records, "osv", ecosystem);
            Directory.CreateDirectory(dir);
            var record = new
            {
                id = a.Id,
                modified = "2026-01-01T00:00:00Z",
                affected = a.Affected.Where(x => x.Ecosystem == ecosystem).Select(x => new Dictionary<string, object>
                {
                    ["package"] = new { ecosystem, name = ecosystem == "Maven" ? "org.example:" + x.Name : x.Name },
                    ["ranges"] = x.Ranges.Select(r => new { type = r.Type, events = r.Events.Select(e => new Dictionary<string, string> { [e.Kind] = e.Version }) }),
                    ["versions"] = x.Versions,
                }),
            };
            File.WriteAllText(Path.Combine(dir, a.Id + ".json"), JsonSerializer.Serialize(record));
        }
    }

    private static string Explain(string match, Advisory[] advisories)
    {
        var id = match[(match.LastIndexOf(' ') + 1)..];
        var a = advisories.Single(x => x.Id == id);
        return $"{match} [{string.Join(" | ", a.Affected.Select(x => $"{x.Ecosystem}/{x.Name} versions={string.Join(',', x.Versions)} ranges={string.Join(" / ", x.Ranges.Select(r => string.Join(',', r.Events.Select(e => $"{e.Kind}:{e.Version}"))))}"))}]";
    }

    public void Dispose()
    {
        if (Directory.Exists(_records)) Directory.Delete(_records, recursive: true);
    }
}
