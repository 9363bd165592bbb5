// SPDX-License-Identifier: Apache-2.0
using Bulwark.Versions.Pub;

namespace Bulwark.Versions.Tests.Pub;

/// No Dart here to generate from: the cases follow pub_semver's documented ordering (testdata/pub.txt).
public class PubVersionTests
{
    private static readonly VersionScheme Scheme = VersionSchemes.For("Pub");

    public static TheoryData<string, string, string, int> HandWritten => ComparisonFile.Load("pub.txt");

    [Theory, MemberData(nameof(HandWritten))]
    public void Orders_the_hand_written_comparisons(string where, string a, string b, int expected) =>
        ComparisonFile.Check(Scheme, where, a, b, expected);

    [Fact]
    public void Is_a_total_order_over_the_hand_written_versions() =>
        SchemeProperties.AssertTotalOrder(Scheme, SchemeProperties.VersionsIn("pub.txt"));

    [Fact]
    public void Sorting_gives_the_pub_semver_order()
    {
        string[] expected = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-beta", "1.0.0-beta+1", "1.0.0-beta.2", "1.0.0", "1.0.0+1", "1.0.0+build", "1.0.1"];
        var sorted = expected.Reverse().Select(PubVersion.Parse).Order().Select(v => v.ToString());
        Assert.Equal(expected, sorted);
    }

    [Fact]
    public void Keeps_the_text_and_its_parts()
    {
        var v = PubVersion.Parse("2.10.3-dev.1+42");
        Assert.Equal("2.10.3-dev.1+42", v.ToString());
        Assert.Equal((2L, 10L, 3L, true), (v.Major, v.Minor, v.Patch, v.IsPreRelease));
        Assert.Equal(v, PubVersion.Parse(v.ToString()));
    }

    [Theory]
    [InlineData("01.02.03-01.dev+pre.02", "1.2.3-1.dev+pre.2")]
    [InlineData("1.0.0-0x10", "1.0.0-16")]
    [InlineData("1.0.0--01", "1.0.0--1")]
    [InlineData("1.0.0+build", "1.0.0+build")]
    public void Writes_pub_semver_canonical_form(string text, string canonical) =>
        Assert.Equal(canonical, PubVersion.Parse(text).Canonical);

    [Fact]
    public void Reparsing_the_canonical_form_gives_an_equal_version()
    {
        foreach (var text in SchemeProperties.VersionsIn("pub.txt"))
        {
            var v = PubVersion.Parse(text);
            Assert.True(PubVersion.Parse(v.Canonical) == v, $"{text}: {v.Canonical} parses to a different version");
            Assert.Equal(v.Canonical, PubVersion.Parse(v.Canonical).Canonical);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("1.0")]
    [InlineData("1.0.0.0")]
    [InlineData("v1.0.0")]
    [InlineData("1.0.0-")]
    [InlineData("1.0.0+")]
    [InlineData("1.0.0-a..b")]
    [InlineData("1.0.0-a_b")]
    [InlineData("1.0.0+a+b")]
    [InlineData("99999999999999999999.0.0")]
    public void Rejects_what_is_not_a_pub_version(string text)
    {
        Assert.False(PubVersion.TryParse(text, out _));
        Assert.Equal("Pub", Assert.Throws<InvalidVersionException>(() => PubVersion.Parse(text)).Scheme);
    }

    [Fact]
    public void Long_inputs_parse_and_compare_in_linear_time()
    {
        SchemeProperties.AssertFast(Scheme, "1.0.0-" + string.Join('.', Enumerable.Repeat("a", 100_000)), "1.0.0-" + string.Join('.', Enumerable.Repeat("a", 100_000)) + ".b");
        SchemeProperties.AssertFast(Scheme, "1.0.0+" + new string('1', 200_000), "1.0.0+" + new string('1', 200_000) + "2");
        SchemeProperties.AssertFast(Scheme, new string('1', 200_000) + ".0.0", "1.0.0-" + new string('-', 200_000));
    }
}
