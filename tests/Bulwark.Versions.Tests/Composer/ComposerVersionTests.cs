// SPDX-License-Identifier: Apache-2.0
using Bulwark.Testing;
using Bulwark.Versions.Composer;

namespace Bulwark.Versions.Tests.Composer;

public class ComposerVersionTests
{
    private static readonly VersionScheme Scheme = VersionSchemes.For("Packagist");

    public static TheoryData<string, string, string, int> HandWritten => ComparisonFile.Load("composer.txt");
    public static TheoryData<string, string, string, int> Generated => ComparisonFile.Load("composer.generated.txt");
    public static TheoryData<string, string, string, int> Probes => ComparisonFile.Load("composer.probes.generated.txt");

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

    [Theory, MemberData(nameof(Probes))]
    public void Orders_rule_combinations_as_composer_semver_does(string where, string a, string b, int expected) =>
        ComparisonFile.Check(Scheme, where, a, b, expected);

    [Theory, MemberData(nameof(Normalised))]
    public void Normalises_as_composer_semver_VersionParser_does(string text, string normalised)
    {
        if (normalised == "!") Assert.False(ComposerVersion.TryParse(text, out _), $"{text} should be refused");
        else Assert.Equal(normalised, ComposerVersion.Parse(text).ToString());
    }

    [Fact]
    public void Is_a_total_order_over_the_generated_versions_probes_and_branches()
    {
        var texts = SchemeProperties.VersionsIn("composer.generated.txt").Concat(SchemeProperties.VersionsIn("composer.probes.generated.txt"))
            .Concat(["dev-master", "dev-main", "dev-feature/x", "1.x-dev"]).ToList();
        SchemeProperties.AssertTotalOrder(Scheme, texts);
    }

    /// VersionParser::normalize is not idempotent in two upstream quirks (generators/composer.sh): "X-stable" normalises
    /// to X, and a date version "2024-01-02" ("2024.01.02") reads again as a classical one ("2024.01.02.0").
    [Fact]
    public void Reparsing_the_normalised_form_gives_the_same_form_except_for_two_upstream_quirks()
    {
        Assert.Equal("1.0.0.0-stable", ComposerVersion.Parse("1.0.0-STABLE").ToString());
        Assert.Equal("1.0.0.0", ComposerVersion.Parse("1.0.0.0-stable").ToString());
        Assert.Equal("2024.01.02", ComposerVersion.Parse("2024-01-02").ToString());
        Assert.Equal("2024.01.02.0", ComposerVersion.Parse("2024.01.02").ToString());
        var changed = Normalised().Select(r => ((string)r[0], (string)r[1]))
            .Where(r => r.Item2 != "!" && ComposerVersion.Parse(r.Item2).ToString() != r.Item2)
            .Select(r => r.Item1).ToList();
        Assert.Equal(["1.0.0-STABLE", "2024-01-02"], changed);
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
