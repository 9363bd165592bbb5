// SPDX-License-Identifier: Apache-2.0
using Bulwark.Testing;
using Bulwark.Versions.Composer;

namespace Bulwark.Versions.Tests.Composer;

public class ComposerVersionTests
{
    private static readonly VersionScheme Scheme = VersionSchemes.For("Packagist");

    public static TheoryData<string, string, string, int> HandWritten => ComparisonFile.Load("composer.txt");
    public static TheoryData<string, string, string, int> Generated => ComparisonFile.Load("composer.generated.txt");

    /// testdata/composer.normalize.generated.txt: "TEXT NORMALISED" (the text may hold spaces) or "TEXT !".
    public static TheoryData<string, string> Normalised()
    {
        var data = new TheoryData<string, string>();
        var path = Path.Combine(TestPaths.Project("Bulwark.Versions.Tests"), "testdata", "composer.normalize.generated.txt");
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var space = line.LastIndexOf(' ');
            data.Add(line[..space], line[(space + 1)..]);
        }
        return data;
    }

    [Theory, MemberData(nameof(HandWritten))]
    public void Orders_the_hand_written_comparisons(string where, string a, string b, int expected) =>
        ComparisonFile.Check(Scheme, where, a, b, expected);

    [Theory, MemberData(nameof(Generated))]
    public void Orders_versions_as_composer_semver_Comparator_does(string where, string a, string b, int expected) =>
        ComparisonFile.Check(Scheme, where, a, b, expected);

    [Theory, MemberData(nameof(Normalised))]
    public void Normalises_as_composer_semver_VersionParser_does(string text, string normalised)
    {
        if (normalised == "!") Assert.False(ComposerVersion.TryParse(text, out _), $"{text} should be refused");
        else Assert.Equal(normalised, ComposerVersion.Parse(text).ToString());
    }

    [Fact]
    public void Is_a_total_order_over_the_generated_versions_and_branches()
    {
        var texts = SchemeProperties.VersionsIn("composer.generated.txt").Concat(["dev-master", "dev-main", "dev-feature/x", "1.x-dev"]).ToList();
        SchemeProperties.AssertTotalOrder(Scheme, texts);
    }

    [Fact]
    public void Reparsing_the_normalised_form_gives_the_same_form()
    {
        foreach (var (text, normalised) in Normalised().Select(r => ((string)r[0], (string)r[1])).Where(r => r.Item2 != "!"))
            Assert.True(ComposerVersion.Parse(normalised).ToString() == normalised, $"{text}: {normalised} does not normalise to itself");
    }

    [Fact]
    public void Orders_branches_before_versions_and_among_themselves_by_name()
    {
        var main = ComposerVersion.Parse("dev-main");
        Assert.True(main.IsBranch);
        Assert.True(main < ComposerVersion.Parse("0.0.1-dev"));
        Assert.True(ComposerVersion.Parse("dev-a") < main);
        Assert.Equal("dev-master", ComposerVersion.Parse("master").ToString());
        Assert.Equal(ComposerVersion.Parse("dev-main"), main);
    }

    [Theory]
    [InlineData("")]
    [InlineData("foo")]
    [InlineData("1.0.0.0.0")]
    [InlineData("1.0-gamma")]
    [InlineData("feature-dev")]
    [InlineData("1.0,2.0")]
    public void Rejects_what_VersionParser_rejects(string text)
    {
        Assert.False(ComposerVersion.TryParse(text, out _));
        Assert.Equal("Packagist", Assert.Throws<InvalidVersionException>(() => ComposerVersion.Parse(text)).Scheme);
    }

    [Fact]
    public void Long_inputs_are_refused_or_compared_in_linear_time()
    {
        SchemeProperties.AssertFast(Scheme, "1." + new string('0', 1000), "1.0-beta" + new string('1', 1000));
        SchemeProperties.AssertFast(Scheme, string.Concat(Enumerable.Repeat("1.", 500)) + "dev", "dev-" + new string('a', 200_000));
        SchemeProperties.AssertFast(Scheme, new string('1', 200_000), "v" + string.Concat(Enumerable.Repeat("-1", 100_000)));
        Assert.False(ComposerVersion.TryParse(new string('1', ComposerVersion.MaxLength + 1), out _));
    }
}
