// SPDX-License-Identifier: Apache-2.0
using System.Text;
using Bulwark.Versions;
using Bulwark.Vulnerabilities.Matching;
using Bulwark.Vulnerabilities.Osv;

namespace Bulwark.Vulnerabilities.Tests.Matching;

/// The OSV evaluation of one affected entry, as a table: events (as JSON), installed version, expected interval or none.
public sealed class AffectedEvaluatorTests
{
    private static (List<AffectedHit> Hits, List<string> Problems) Evaluate(string affectedJson, string version, string ecosystem = "npm")
    {
        var json = $$"""{"id":"TEST-1","modified":"2024-01-01T00:00:00Z","affected":[{{affectedJson}}]}""";
        var record = OsvReader.Parse(Encoding.UTF8.GetBytes(json), "test");
        var cache = new VersionCache(VersionSchemes.For(ecosystem));
        var hits = new List<AffectedHit>();
        var problems = new List<string>();
        AffectedEvaluator.Evaluate(record.Affected[0], "p", version, cache.Parse(version)!, cache, hits, problems, 0);
        return (hits, problems);
    }

    private static string Range(string events, string type = "SEMVER") =>
        $$"""{"package":{"ecosystem":"npm","name":"p"},"ranges":[{"type":"{{type}}","events":[{{events}}]}]}""";

    private const string Simple = """{"introduced":"1.0.0"},{"fixed":"2.0.0"}""";
    private const string TwoIntervals = """{"introduced":"1.0.0"},{"fixed":"1.2.0"},{"introduced":"2.0.0"},{"fixed":"2.2.0"}""";
    private const string Unsorted = """{"fixed":"2.2.0"},{"introduced":"2.0.0"},{"fixed":"1.2.0"},{"introduced":"1.0.0"}""";
    private const string LastAffected = """{"introduced":"0"},{"last_affected":"1.5.0"}""";
    private const string Limit = """{"introduced":"1.0.0"},{"limit":"2.0.0"}""";
    private const string OpenEnded = """{"introduced":"1.0.0"}""";
    private const string FixedAndLimit = """{"introduced":"1.0.0"},{"fixed":"1.5.0"},{"limit":"3.0.0"}""";
    private const string DoubleIntroduced = """{"introduced":"1.0.0"},{"introduced":"1.5.0"},{"fixed":"2.0.0"}""";

    public static TheoryData<string, string, string?> Cases => new()
    {
        { Simple, "0.9.9", null },
        { Simple, "1.0.0", "p 1.0.0 is at or above 1.0.0 (introduced) and below 2.0.0 (fixed) (SEMVER range)" },
        { Simple, "1.9.9", "p 1.9.9 is at or above 1.0.0 (introduced) and below 2.0.0 (fixed) (SEMVER range)" },
        { Simple, "2.0.0-rc.1", "p 2.0.0-rc.1 is at or above 1.0.0 (introduced) and below 2.0.0 (fixed) (SEMVER range)" },
        { Simple, "2.0.0", null },
        { TwoIntervals, "1.1.0", "p 1.1.0 is at or above 1.0.0 (introduced) and below 1.2.0 (fixed) (SEMVER range)" },
        { TwoIntervals, "1.5.0", null },
        { TwoIntervals, "2.1.0", "p 2.1.0 is at or above 2.0.0 (introduced) and below 2.2.0 (fixed) (SEMVER range)" },
        { TwoIntervals, "3.0.0", null },
        { Unsorted, "1.1.0", "p 1.1.0 is at or above 1.0.0 (introduced) and below 1.2.0 (fixed) (SEMVER range)" },
        { Unsorted, "1.5.0", null },
        { Unsorted, "2.1.0", "p 2.1.0 is at or above 2.0.0 (introduced) and below 2.2.0 (fixed) (SEMVER range)" },
        { LastAffected, "0.1.0", "p 0.1.0 is at or above 0 (introduced) and at or below 1.5.0 (last_affected) (SEMVER range)" },
        { LastAffected, "1.5.0", "p 1.5.0 is at or above 0 (introduced) and at or below 1.5.0 (last_affected) (SEMVER range)" },
        { LastAffected, "1.5.1", null },
        { Limit, "1.9.0", "p 1.9.0 is at or above 1.0.0 (introduced) and below 2.0.0 (limit) (SEMVER range)" },
        { Limit, "2.0.0", null },
        { Limit, "0.5.0", null },
        { OpenEnded, "99.0.0", "p 99.0.0 is at or above 1.0.0 (introduced) and no fix is known (SEMVER range)" },
        { FixedAndLimit, "1.2.0", "p 1.2.0 is at or above 1.0.0 (introduced) and below 1.5.0 (fixed) and below 3.0.0 (limit) (SEMVER range)" },
        { FixedAndLimit, "2.0.0", null },
        { DoubleIntroduced, "1.7.0", "p 1.7.0 is at or above 1.0.0 (introduced) and below 2.0.0 (fixed) (SEMVER range)" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Range_events_are_evaluated_as_the_osv_schema_says(string events, string version, string? explanation)
    {
        var (hits, problems) = Evaluate(Range(events), version);
        Assert.Empty(problems);
        Assert.Equal(explanation is null ? [] : [explanation], hits.Select(h => h.Explanation));
    }

    [Fact]
    public void The_matched_interval_names_its_events()
    {
        var hit = Assert.Single(Evaluate(Range(TwoIntervals), "2.1.0").Hits);
        Assert.Equal(new AffectedHit("SEMVER", "2.0.0", "2.2.0", null, null, hit.Explanation), hit);
        var last = Assert.Single(Evaluate(Range(LastAffected), "1.0.0").Hits);
        Assert.Equal(("0", null, "1.5.0"), (last.Introduced, last.Fixed, last.LastAffected));
    }

    [Fact]
    public void An_event_the_scheme_cannot_parse_is_a_problem_and_never_compared_as_text()
    {
        var (hits, problems) = Evaluate(Range("""{"introduced":"0"},{"fixed":"not.a.version!"}""", "ECOSYSTEM"), "1.0.0", "PyPI");
        Assert.Empty(hits);
        Assert.Equal(["affected[0].ranges[0]: fixed 'not.a.version!' is not a valid PEP 440 version, so the range was not evaluated"], problems);
    }

    [Fact]
    public void Git_ranges_are_ignored_and_the_versions_list_is_used()
    {
        const string entry = """
            {"package":{"ecosystem":"PyPI","name":"p"},
             "ranges":[{"type":"GIT","repo":"https://example.invalid/p","events":[{"introduced":"0"},{"fixed":"abc123"}]}],
             "versions":["1.0","1.1"]}
            """;
        Assert.Equal(["p 1.1 is listed in the record's affected versions"], Evaluate(entry, "1.1", "PyPI").Hits.Select(h => h.Explanation));
        Assert.Equal(["p 1.1.0 equals 1.1, listed in the record's affected versions"], Evaluate(entry, "1.1.0", "PyPI").Hits.Select(h => h.Explanation));
        Assert.Empty(Evaluate(entry, "1.2", "PyPI").Hits);
        Assert.Empty(Evaluate(entry, "1.2", "PyPI").Problems);
    }

    [Fact]
    public void An_entry_with_neither_ranges_nor_versions_is_a_problem_not_a_guess()
    {
        var (hits, problems) = Evaluate("""{"package":{"ecosystem":"npm","name":"p"}}""", "1.0.0");
        Assert.Empty(hits);
        Assert.Equal(["affected[0] names p but has no ECOSYSTEM or SEMVER range and no versions list, so it cannot be evaluated"], problems);
    }

    [Theory]
    [InlineData("2.36-9", true)]
    [InlineData("2.36-9+deb12u2", true)]
    [InlineData("2.36-9+deb12u3", false)]
    [InlineData("2.36-9+deb12u10", false)]
    [InlineData("1:2.0-1", false)]
    public void Debian_versions_respect_backported_fixes(string version, bool affected)
    {
        var entry = """{"package":{"ecosystem":"Debian:12","name":"glibc"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"2.36-9+deb12u3"}]}]}""";
        Assert.Equal(affected, Evaluate(entry, version, "Debian:12").Hits.Count == 1);
    }
}

public sealed class AliasGroupsTests
{
    [Fact]
    public void Overlapping_ids_are_merged_transitively()
    {
        string[][] items = [["GHSA-1", "CVE-1"], ["PYSEC-2", "CVE-2"], ["OSV-3", "CVE-1", "CVE-2"], ["GHSA-4"]];
        var groups = AliasGroups.Group(items, i => i[0], i => i[1..]);
        Assert.Equal(2, groups.Count);
        Assert.Equal(["GHSA-1", "PYSEC-2", "OSV-3"], groups[0].Select(g => g[0]));
        Assert.Equal(["GHSA-4"], groups[1].Select(g => g[0]));
    }

    [Fact]
    public void Many_items_are_grouped_as_a_few_are()
    {
        // more than eight items take the indexed path; the same items split into small lists take the pairwise one
        string[][] items =
        [
            ["A-0", "CVE-9"], ["A-1"], ["A-2", "CVE-1"], ["A-3", "CVE-2"], ["A-4", "CVE-1", "CVE-3"], ["A-5"],
            ["A-6", "CVE-3"], ["A-7", "CVE-9"], ["A-8", "A-5"], ["A-9"], ["A-1", "CVE-4"], ["A-11", "CVE-2"],
        ];
        var groups = AliasGroups.Group(items, i => i[0], i => i[1..]);
        Assert.Equal(["A-0 A-7", "A-1 A-1", "A-2 A-4 A-6", "A-3 A-11", "A-5 A-8", "A-9"],
            groups.Select(g => string.Join(' ', g.Select(i => i[0]))));
        var few = AliasGroups.Group(items[..8], i => i[0], i => i[1..]);
        Assert.Equal(["A-0 A-7", "A-1", "A-2 A-4 A-6", "A-3", "A-5"], few.Select(g => string.Join(' ', g.Select(i => i[0]))));
    }

    [Theory]
    [InlineData("PyPI", "PYSEC-2023-74", "GHSA-j8r2-6x86-q33q", "PYSEC-2023-74")]
    [InlineData("npm", "GHSA-aaaa-bbbb-cccc", "CVE-2020-1", "GHSA-aaaa-bbbb-cccc")]
    [InlineData("Go", "GHSA-aaaa-bbbb-cccc", "GO-2020-0004", "GO-2020-0004")]
    [InlineData("Debian", "DSA-1-1", "DLA-2-1", "DLA-2-1")]
    public void The_primary_id_prefers_the_ecosystems_own_advisory_then_ghsa(string folder, string a, string b, string expected) =>
        Assert.Equal(expected, Matcher.PrimaryId(folder, [a, b]));
}
