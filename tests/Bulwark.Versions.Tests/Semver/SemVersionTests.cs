// SPDX-License-Identifier: Apache-2.0
using System.Diagnostics;
using Bulwark.Testing;
using Bulwark.Versions.Semver;

namespace Bulwark.Versions.Tests.Semver;

public class SemVersionTests
{
    public static TheoryData<string, string, string, int> HandWritten => ComparisonFile.Load("semver.txt");
    public static TheoryData<string, string, string, int> Generated => ComparisonFile.Load("semver.generated.txt");

    [Theory]
    [MemberData(nameof(HandWritten))]
    public void Orders_hand_written_pairs_by_precedence(string where, string a, string b, int expected) =>
        ComparisonFile.Check(VersionSchemes.SemVer, where, a, b, expected);

    [Theory]
    [MemberData(nameof(Generated))]
    public void Orders_real_versions_as_npm_semver_does(string where, string a, string b, int expected) =>
        ComparisonFile.Check(VersionSchemes.SemVer, where, a, b, expected);

    [Theory]
    [InlineData("npm")]
    [InlineData("crates.io")]
    [InlineData("Hex")]
    [InlineData("SwiftURL")]
    [InlineData("GitHub Actions")]
    public void Is_the_scheme_for_OSV_SEMVER_ecosystems(string ecosystem) =>
        Assert.Same(VersionSchemes.SemVer, VersionSchemes.For(ecosystem));

    [Fact]
    public void Parses_every_part()
    {
        var v = SemVersion.Parse("1.22.333-rc.1.x-y+build.007");
        Assert.Equal((1UL, 22UL, 333UL, "rc.1.x-y", "build.007"), (v.Major, v.Minor, v.Patch, v.Prerelease, v.Build));
        Assert.True(v.IsPrerelease);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("1.2")]
    [InlineData("v1.2.3")]
    [InlineData("01.2.3")]
    [InlineData("1.02.3")]
    [InlineData("1.2.03")]
    [InlineData("1.2.3-01")]
    [InlineData("1.2.3-")]
    [InlineData("1.2.3+")]
    [InlineData("1.2.3-a..b")]
    [InlineData("1.2.3-a_b")]
    [InlineData("1.2.3+a+b")]
    [InlineData(" 1.2.3")]
    [InlineData("1.2.3.4")]
    [InlineData("1.2.3beta")]
    [InlineData("18446744073709551616.0.0")]
    public void Strict_parse_rejects_what_SemVer_2_forbids(string text)
    {
        Assert.False(SemVersion.TryParse(text, out _));
        var e = Assert.Throws<InvalidVersionException>(() => SemVersion.Parse(text));
        Assert.Equal("SemVer", e.Scheme);
        Assert.Contains($"'{text}' is not a valid SemVer version", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.2.3-0a", "1.2.3-0a")]   // alphanumeric, so a leading zero is fine
    [InlineData("1.2.3+001", "1.2.3+001")] // build identifiers may have leading zeros
    [InlineData("0.0.0", "0.0.0")]
    public void Strict_parse_accepts_edge_cases(string text, string expected) =>
        Assert.Equal(expected, SemVersion.Parse(text).ToString());

    [Theory]
    [InlineData(" =v1.2.3 ", "1.2.3")]
    [InlineData("v=  1.2.3", "1.2.3")]
    [InlineData("01.02.03", "1.2.3")]
    [InlineData("1.2.3beta", "1.2.3-beta")]
    [InlineData("1.2.3-01.00.a0", "1.2.3-1.0.a0")]
    public void Loose_parse_follows_node_semver_loose_mode(string text, string expected) =>
        Assert.Equal(expected, SemVersion.Parse(text, SemVersionStyles.Loose).ToString());

    [Fact]
    public void Loose_mode_alone_still_needs_three_parts() =>
        Assert.False(SemVersion.TryParse("1.2", SemVersionStyles.Loose, out _));

    [Theory]
    [InlineData("v1.2.3", "1.2.3")]
    [InlineData("V1.2.3", "1.2.3")]
    public void A_leading_v_is_dropped_when_allowed(string text, string expected) =>
        Assert.Equal(expected, SemVersion.Parse(text, SemVersionStyles.LeadingV).ToString());

    [Theory]
    [InlineData("0", "0.0.0")]
    [InlineData("1.2", "1.2.0")]
    [InlineData("v1", "1.0.0")]
    public void Lenient_parse_reads_missing_parts_as_zero(string text, string expected) =>
        Assert.Equal(expected, SemVersion.ParseLenient(text).ToString());

    [Fact]
    public void A_pre_release_needs_all_three_parts_even_when_lenient() =>
        Assert.False(SemVersion.TryParseLenient("1.2-beta", out _));

    [Fact]
    public void Equality_ignores_build_metadata_like_precedence_does()
    {
        var a = SemVersion.Parse("1.0.0-rc.1+a");
        var b = SemVersion.Parse("1.0.0-rc.1+b");
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Equal("1.0.0-rc.1+a", a.ToString());
        Assert.Equal("1.0.0-rc.1", a.ToStringWithoutBuild());
    }

    [Fact]
    public void Round_trips_every_generated_version_through_ToString()
    {
        foreach (var v in GeneratedVersions())
            Assert.Equal(v, SemVersion.Parse(v).ToString());
    }

    [Fact]
    public void Generated_versions_form_a_total_order()
    {
        var vs = GeneratedVersions().Select(SemVersion.Parse).ToArray();
        SchemeProperties.AssertTotalOrder(vs, equalityIsOrder: true);
    }

    [Fact]
    public void Compares_long_hostile_versions_in_linear_time()
    {
        var ids = string.Join('.', Enumerable.Repeat("1", 200_000));
        var a = SemVersion.Parse($"1.0.0-{ids}.a");
        var b = SemVersion.Parse($"1.0.0-{ids}.b");
        var digits = SemVersion.Parse($"1.0.0-{new string('9', 500_000)}");
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < 10; i++)
        {
            Assert.True(a < b);
            Assert.True(digits > a);
        }
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(2), $"took {sw.Elapsed}");
        Assert.False(SemVersion.TryParse("1.0.0-" + new string('.', 100_000), out _));
    }

    internal static IEnumerable<string> GeneratedVersions() =>
        ComparisonFile.Load("semver.generated.txt").Select(row => (string)row[1]).Distinct();
}
