// SPDX-License-Identifier: Apache-2.0
using Bulwark.Versions.Maven;

namespace Bulwark.Versions.Tests.Maven;

public class MavenVersionTests
{
    private static readonly VersionScheme Scheme = VersionSchemes.For("Maven");

    public static TheoryData<string, string, string, int> HandWritten => ComparisonFile.Load("maven.txt");
    public static TheoryData<string, string, string, int> Generated => ComparisonFile.Load("maven.generated.txt");
    public static TheoryData<string, string, string, int> Probes => ComparisonFile.Load("maven.probes.generated.txt");

    [Theory, MemberData(nameof(HandWritten))]
    public void Orders_the_hand_written_comparisons(string where, string a, string b, int expected) =>
        ComparisonFile.Check(Scheme, where, a, b, expected);

    [Theory, MemberData(nameof(Generated))]
    public void Orders_versions_as_Maven_ComparableVersion_does(string where, string a, string b, int expected) =>
        ComparisonFile.Check(Scheme, where, a, b, expected);

    [Theory, MemberData(nameof(Probes))]
    public void Orders_rule_combinations_as_Maven_does(string where, string a, string b, int expected) =>
        ComparisonFile.Check(Scheme, where, a, b, expected);

    /// Maven 3.8's ComparableVersion is not transitive when a release alias is followed by more items; we answer as
    /// Maven does (generators/maven.sh), so the total-order property below is over real versions only.
    [Fact]
    public void Reproduces_Maven_non_transitive_answers_for_release_aliases_followed_by_more_items()
    {
        var (a, b, c) = (MavenVersion.Parse("1.0.final1"), MavenVersion.Parse("1.0.cr-0"), MavenVersion.Parse("1.0-ga.0"));
        Assert.True(a < b);
        Assert.True(b < c);
        Assert.True(a > c);
    }

    [Fact]
    public void Is_a_total_order_over_the_generated_versions() =>
        SchemeProperties.AssertTotalOrder(Scheme, SchemeProperties.VersionsIn("maven.generated.txt"));

    /// Maven's canonical form is lossy where a list nests directly in a list ("1--1" is [1, [[1]]] but prints "1-1"),
    /// so only the form itself is stable; the version reparses equal everywhere else.
    [Fact]
    public void Reparsing_the_canonical_form_gives_the_same_canonical_form_and_an_equal_version_except_for_empty_parts()
    {
        var lossy = new List<string>();
        foreach (var text in SchemeProperties.VersionsIn("maven.generated.txt"))
        {
            var v = MavenVersion.Parse(text);
            var again = MavenVersion.Parse(v.Canonical.Length == 0 ? "0" : v.Canonical);
            Assert.Equal(v.Canonical.Length == 0 ? "" : v.Canonical, again.Canonical);
            if (v != again) lossy.Add(text);
        }
        Assert.Equal(["1--1"], lossy);
    }

    [Theory]
    [InlineData("1.0", "1")]
    [InlineData("1.0-SNAPSHOT", "1-snapshot")]
    [InlineData("2.0.0.Final", "2")]
    [InlineData("1.0-a1", "1-alpha-1")]
    [InlineData("1.0.RC1", "1-rc-1")]
    [InlineData("1-1.foo-bar1baz-.1", "1-1.foo-bar-1-baz-0.1")]
    public void Writes_Maven_canonical_form(string text, string canonical) =>
        Assert.Equal(canonical, MavenVersion.Parse(text).Canonical);

    [Fact]
    public void Keeps_the_text_as_given_and_equality_follows_the_order()
    {
        var a = MavenVersion.Parse("1.0.FINAL");
        Assert.Equal("1.0.FINAL", a.ToString());
        Assert.Equal(MavenVersion.Parse("1"), a);
        Assert.Equal(MavenVersion.Parse("1").GetHashCode(), a.GetHashCode());
        Assert.True(MavenVersion.Parse("1.0-rc1") < a);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1.0 beta")]
    [InlineData("1.0\n")]
    public void Rejects_empty_text_and_whitespace(string text)
    {
        Assert.False(MavenVersion.TryParse(text, out _));
        var e = Assert.Throws<InvalidVersionException>(() => MavenVersion.Parse(text));
        Assert.Equal("Maven", e.Scheme);
    }

    [Fact]
    public void Refuses_more_nesting_than_the_bound_instead_of_overflowing_the_stack()
    {
        var deep = string.Concat(Enumerable.Repeat("1-", MavenVersion.MaxDepth + 1)) + "1";
        var e = Assert.Throws<InvalidVersionException>(() => MavenVersion.Parse(deep));
        Assert.Contains("nested", e.Message, StringComparison.Ordinal);
        Assert.True(MavenVersion.TryParse(string.Concat(Enumerable.Repeat("1-", 50)) + "1", out _));
    }

    [Fact]
    public void Long_inputs_parse_and_compare_in_linear_time()
    {
        SchemeProperties.AssertFast(Scheme, string.Join('.', Enumerable.Repeat("1", 100_000)), string.Join('.', Enumerable.Repeat("1", 100_000)) + ".2");
        SchemeProperties.AssertFast(Scheme, new string('9', 200_000), new string('9', 200_000) + "8");
        SchemeProperties.AssertFast(Scheme, "1." + new string('x', 200_000), "1." + new string('x', 200_000) + "y");
    }
}
