// SPDX-License-Identifier: Apache-2.0
using Bulwark.Testing;
using Bulwark.Versions.NuGet;
using NuGet.Versioning;

namespace Bulwark.Versions.Tests.NuGet;

public class NuGetPackageVersionTests
{
    private static readonly VersionScheme Scheme = VersionSchemes.For("NuGet");

    public static TheoryData<string, string, string, int> HandWritten => ComparisonFile.Load("nuget.txt");

    private static List<string> RealVersions() =>
        [.. File.ReadLines(Path.Combine(TestPaths.Project("Bulwark.Versions.Tests"), "testdata", "nuget.versions.txt"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))];

    [Theory, MemberData(nameof(HandWritten))]
    public void Orders_the_hand_written_comparisons(string where, string a, string b, int expected) =>
        ComparisonFile.Check(Scheme, where, a, b, expected);

    /// NuGetPackageVersion wraps NuGet.Versioning, so this is a cross-check that the wrapper is faithful,
    /// not an independent check of the order.
    [Fact]
    public void Orders_real_versions_exactly_as_NuGet_Versioning_does()
    {
        var texts = RealVersions().Concat(HandWritten.SelectMany(r => new[] { (string)r[1], (string)r[2] })).Distinct().ToList();
        foreach (var a in texts)
        foreach (var b in texts)
        {
            var expected = Math.Sign(NuGetVersion.Parse(a).CompareTo(NuGetVersion.Parse(b)));
            Assert.True(expected == Math.Sign(Scheme.Compare(a, b)), $"{a} vs {b}");
            Assert.Equal(expected == 0, NuGetPackageVersion.Parse(a) == NuGetPackageVersion.Parse(b));
        }
    }

    [Fact]
    public void Is_a_total_order_over_the_real_versions() =>
        SchemeProperties.AssertTotalOrder(Scheme, RealVersions());

    [Theory]
    [InlineData("1", "1.0.0")]
    [InlineData("1.0", "1.0.0")]
    [InlineData("01.02.03", "1.2.3")]
    [InlineData("1.2.3.0", "1.2.3")]
    [InlineData("1.2.3.4", "1.2.3.4")]
    [InlineData("1.0.0-Beta.1+sha.abc", "1.0.0-Beta.1")]
    public void Writes_the_normalised_form_which_parses_back_to_itself(string text, string normalised)
    {
        var v = NuGetPackageVersion.Parse(text);
        Assert.Equal(normalised, v.ToString());
        Assert.Equal(normalised, NuGetPackageVersion.Parse(v.ToString()).ToString());
        Assert.Equal(v, NuGetPackageVersion.Parse(normalised));
        Assert.Equal(v.GetHashCode(), NuGetPackageVersion.Parse(normalised).GetHashCode());
    }

    [Theory]
    [InlineData("")]
    [InlineData("1.0.0.0.0")]
    [InlineData("a.b")]
    [InlineData("1.0.0-")]
    [InlineData("1.0.0-beta..1")]
    public void Rejects_what_NuGet_rejects(string text)
    {
        Assert.False(NuGetPackageVersion.TryParse(text, out _));
        Assert.Equal("NuGet", Assert.Throws<InvalidVersionException>(() => NuGetPackageVersion.Parse(text)).Scheme);
    }

    [Fact]
    public void Long_inputs_parse_and_compare_in_linear_time()
    {
        SchemeProperties.AssertFast(Scheme, "1.0.0-" + string.Join('.', Enumerable.Repeat("a", 100_000)), "1.0.0-" + string.Join('.', Enumerable.Repeat("a", 100_000)) + ".b");
        SchemeProperties.AssertFast(Scheme, "1.0.0-" + new string('1', 200_000), "1.0.0+" + new string('x', 200_000));
    }
}
