// SPDX-License-Identifier: Apache-2.0
using Bulwark.Versions.RubyGems;

namespace Bulwark.Versions.Tests.RubyGems;

public class RubyGemsVersionTests
{
    private static readonly VersionScheme Scheme = VersionSchemes.For("RubyGems");

    public static TheoryData<string, string, string, int> HandWritten => ComparisonFile.Load("rubygems.txt");
    public static TheoryData<string, string, string, int> Generated => ComparisonFile.Load("rubygems.generated.txt");
    public static TheoryData<string, string, string, int> Probes => ComparisonFile.Load("rubygems.probes.generated.txt");

    [Theory, MemberData(nameof(HandWritten))]
    public void Orders_the_hand_written_comparisons(string where, string a, string b, int expected) =>
        ComparisonFile.Check(Scheme, where, a, b, expected);

    [Theory, MemberData(nameof(Generated))]
    public void Orders_versions_as_Gem_Version_does(string where, string a, string b, int expected) =>
        ComparisonFile.Check(Scheme, where, a, b, expected);

    [Theory, MemberData(nameof(Probes))]
    public void Orders_rule_combinations_as_Gem_Version_does(string where, string a, string b, int expected) =>
        ComparisonFile.Check(Scheme, where, a, b, expected);

    [Fact]
    public void Is_a_total_order_over_the_generated_versions_and_probes() =>
        SchemeProperties.AssertTotalOrder(Scheme, [.. SchemeProperties.VersionsIn("rubygems.generated.txt"), .. SchemeProperties.VersionsIn("rubygems.probes.generated.txt")]);

    [Fact]
    public void Reparsing_the_text_gives_the_same_text_and_an_equal_version()
    {
        foreach (var text in SchemeProperties.VersionsIn("rubygems.generated.txt"))
        {
            var v = RubyGemsVersion.Parse(text);
            var again = RubyGemsVersion.Parse(v.ToString());
            Assert.Equal(v.ToString(), again.ToString());
            Assert.Equal(v, again);
        }
    }

    [Theory]
    [InlineData(" 1.2 ", "1.2", false)]
    [InlineData("1.0-rc1", "1.0.pre.rc1", true)]
    [InlineData("", "0", false)]
    [InlineData("2.0.0.beta", "2.0.0.beta", true)]
    public void Keeps_the_text_as_RubyGems_does(string text, string kept, bool prerelease)
    {
        var v = RubyGemsVersion.Parse(text);
        Assert.Equal(kept, v.ToString());
        Assert.Equal(prerelease, v.IsPrerelease);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("1a")]
    [InlineData("1..2")]
    [InlineData("1.0.")]
    [InlineData(".1")]
    [InlineData("1.0-")]
    [InlineData("1.0-a..b")]
    [InlineData("1 2")]
    [InlineData("1.0_1")]
    public void Rejects_what_Gem_Version_rejects(string text)
    {
        Assert.False(RubyGemsVersion.TryParse(text, out _));
        Assert.Equal("RubyGems", Assert.Throws<InvalidVersionException>(() => RubyGemsVersion.Parse(text)).Scheme);
    }

    [Fact]
    public void Long_inputs_parse_and_compare_in_linear_time()
    {
        SchemeProperties.AssertFast(Scheme, string.Join('.', Enumerable.Repeat("1", 100_000)), string.Join('.', Enumerable.Repeat("1", 100_000)) + ".a");
        SchemeProperties.AssertFast(Scheme, new string('9', 200_000), new string('9', 200_000) + "8");
        SchemeProperties.AssertFast(Scheme, "1." + new string('a', 200_000), "1." + new string('a', 200_000) + ".");
        SchemeProperties.AssertFast(Scheme, "1-" + string.Concat(Enumerable.Repeat("a-", 100_000)), "1-" + string.Concat(Enumerable.Repeat("a.", 100_000)));
    }
}
