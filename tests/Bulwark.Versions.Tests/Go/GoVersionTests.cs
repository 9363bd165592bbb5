// SPDX-License-Identifier: Apache-2.0
using Bulwark.Versions.Go;
using Bulwark.Versions.Tests.Semver;

namespace Bulwark.Versions.Tests.Go;

public class GoVersionTests
{
    public static TheoryData<string, string, string, int> HandWritten => ComparisonFile.Load("go.txt");
    public static TheoryData<string, string, string, int> Generated => ComparisonFile.Load("go.generated.txt");

    [Theory]
    [MemberData(nameof(HandWritten))]
    public void Orders_hand_written_pairs_as_Go_does(string where, string a, string b, int expected) =>
        ComparisonFile.Check(VersionSchemes.Go, where, a, b, expected);

    [Theory]
    [MemberData(nameof(Generated))]
    public void Orders_real_versions_as_x_mod_semver_does(string where, string a, string b, int expected) =>
        ComparisonFile.Check(VersionSchemes.Go, where, a, b, expected);

    [Fact]
    public void Is_the_scheme_for_Go() => Assert.Same(VersionSchemes.Go, VersionSchemes.For("Go"));

    [Theory]
    [InlineData("v0.0.0-20191109021931-daa7c04131f5", "20191109021931", "daa7c04131f5")]
    [InlineData("v1.2.4-0.20191109021931-daa7c04131f5", "20191109021931", "daa7c04131f5")]
    [InlineData("v1.2.3-rc.1.0.20191109021931-daa7c04131f5", "20191109021931", "daa7c04131f5")]
    [InlineData("2.1.1-0.20170519163204-f913f5f9c7c6+incompatible", "20170519163204", "f913f5f9c7c6")]
    public void Recognises_pseudo_versions(string text, string timestamp, string revision)
    {
        var v = GoVersion.Parse(text);
        Assert.True(v.IsPseudo);
        Assert.Equal(timestamp, v.PseudoTimestamp);
        Assert.Equal(revision, v.PseudoRevision);
    }

    [Theory]
    [InlineData("v1.2.3")]
    [InlineData("v1.2.3-rc.1")]
    [InlineData("v1.2.3-20191109021931-daa7c04131f5")]   // the first form needs vX.0.0
    [InlineData("v1.2.3-x.20191109021931-daa7c04131f5")]
    public void Tagged_versions_are_not_pseudo_versions(string text)
    {
        var v = GoVersion.Parse(text);
        Assert.False(v.IsPseudo);
        Assert.Null(v.PseudoTimestamp);
    }

    [Fact]
    public void Reads_incompatible_and_the_missing_v()
    {
        var v = GoVersion.Parse("2.0.0+incompatible");
        Assert.True(v.IsIncompatible);
        Assert.False(v.HasV);
        Assert.Equal("v2.0.0+incompatible", v.ToString());
        Assert.True(GoVersion.Parse("v1.0.0").HasV);
    }

    [Theory]
    [InlineData("v1", "v1")]
    [InlineData("1.2", "v1.2")]
    [InlineData("v1.2.3-pre+meta", "v1.2.3-pre+meta")]
    public void Writes_versions_as_Go_does(string text, string expected) => Assert.Equal(expected, GoVersion.Parse(text).ToString());

    [Theory]
    [InlineData("")]
    [InlineData("v")]
    [InlineData("v01.2.3")]
    [InlineData("v1.2-pre")]
    [InlineData("v1.2.3-01")]
    [InlineData("vv1.2.3")]
    [InlineData("latest")]
    public void Rejects_what_Go_rejects(string text)
    {
        Assert.False(GoVersion.TryParse(text, out _));
        Assert.Equal("Go", Assert.Throws<InvalidVersionException>(() => GoVersion.Parse(text)).Scheme);
    }

    [Fact]
    public void Generated_versions_form_a_total_order_and_round_trip()
    {
        var texts = ComparisonFile.Load("go.generated.txt").Select(r => (string)r[1]).Distinct().ToArray();
        SchemeProperties.AssertTotalOrder(texts.Select(GoVersion.Parse).ToArray(), equalityIsOrder: true);
        foreach (var t in texts) Assert.Equal(t, GoVersion.Parse(t).ToString());
    }
}
