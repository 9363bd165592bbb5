// SPDX-License-Identifier: Apache-2.0
using System.Diagnostics;
using Bulwark.Testing;
using Bulwark.Versions.Pep440;
using Bulwark.Versions.Tests.Semver;

namespace Bulwark.Versions.Tests.Pep440;

public class Pep440VersionTests
{
    public static TheoryData<string, string, string, int> HandWritten => ComparisonFile.Load("pep440.txt");
    public static TheoryData<string, string, string, int> Generated => ComparisonFile.Load("pep440.generated.txt");

    [Theory]
    [MemberData(nameof(HandWritten))]
    public void Orders_hand_written_pairs_as_PEP_440_says(string where, string a, string b, int expected) =>
        ComparisonFile.Check(VersionSchemes.Pep440, where, a, b, expected);

    [Theory]
    [MemberData(nameof(Generated))]
    public void Orders_real_versions_as_packaging_does(string where, string a, string b, int expected) =>
        ComparisonFile.Check(VersionSchemes.Pep440, where, a, b, expected);

    [Fact]
    public void Is_the_scheme_for_PyPI() => Assert.Same(VersionSchemes.Pep440, VersionSchemes.For("PyPI"));

    [Fact]
    public void Normalises_as_packaging_does()
    {
        var path = Path.Combine(TestPaths.Project("Bulwark.Versions.Tests"), "testdata", "pep440-normalised.generated.txt");
        var rows = File.ReadLines(path).Where(l => !l.StartsWith('#')).Select(l => l.Split(' ')).ToList();
        Assert.True(rows.Count > 1000);
        foreach (var row in rows)
            Assert.True(Pep440Version.Parse(row[0]).ToString() == row[1], $"{row[0]}: expected {row[1]}, got {Pep440Version.Parse(row[0])}");
    }

    [Theory]
    [InlineData("1.0-1", "1.0.post1")]
    [InlineData(" V1!2.0.0-Preview_3.REV-4.Dev5+Ubuntu-01.B ", "1!2.0.0rc3.post4.dev5+ubuntu.1.b")]
    [InlineData("1.0.0alpha", "1.0.0a0")]
    [InlineData("00!01.00", "1.0")]
    public void Normalises_spellings(string text, string expected) => Assert.Equal(expected, Pep440Version.Parse(text).ToString());

    [Fact]
    public void Exposes_each_part()
    {
        var v = Pep440Version.Parse("2!1.2.3rc4.post5.dev6+local.7");
        Assert.Equal(("2", "1.2.3", "rc", "4", "5", "6", "local.7"), (v.Epoch, v.Release, v.PreLabel, v.PreNumber, v.Post, v.Dev, v.Local));
        Assert.True(v.IsPrerelease);
        Assert.False(Pep440Version.Parse("1.0.post1").IsPrerelease);
    }

    [Theory]
    [InlineData("")]
    [InlineData("v")]
    [InlineData("1.0+")]
    [InlineData("1.0+a..b")]
    [InlineData("1.0+a!b")]
    [InlineData("1.0.x")]
    [InlineData("1.0-")]
    [InlineData("1!")]
    [InlineData("5429b85b9f6c2e640074176f36ff05fd5e4d1916")]
    [InlineData("1.0dev1alpha")]
    [InlineData("2.0.0.beta.3.4")]
    [InlineData("1.0 a1")]
    public void Rejects_what_PEP_440_does_not_define(string text)
    {
        Assert.False(Pep440Version.TryParse(text, out _));
        var e = Assert.Throws<InvalidVersionException>(() => Pep440Version.Parse(text));
        Assert.Equal("PEP 440", e.Scheme);
    }

    [Fact]
    public void Equality_agrees_with_ordering()
    {
        Assert.Equal(Pep440Version.Parse("1.0"), Pep440Version.Parse("1.0.0"));
        Assert.Equal(Pep440Version.Parse("1.0").GetHashCode(), Pep440Version.Parse("1.0.0").GetHashCode());
        Assert.NotEqual(Pep440Version.Parse("1.0"), Pep440Version.Parse("1.0+local"));
    }

    [Fact]
    public void Generated_versions_form_a_total_order_and_round_trip()
    {
        var vs = ComparisonFile.Load("pep440.generated.txt").Select(r => (string)r[1]).Distinct().Select(Pep440Version.Parse).ToArray();
        SchemeProperties.AssertTotalOrder(vs, equalityIsOrder: true);
        foreach (var v in vs) Assert.Equal(v.ToString(), Pep440Version.Parse(v.ToString()).ToString());
    }

    [Fact]
    public void Compares_long_hostile_versions_in_linear_time()
    {
        var release = string.Join('.', Enumerable.Repeat("7", 200_000));
        var a = Pep440Version.Parse(release + "+" + string.Join('.', Enumerable.Repeat("x", 100_000)));
        var b = Pep440Version.Parse(release + ".0.0.1");
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < 10; i++) Assert.True(a < b);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(2), $"took {sw.Elapsed}");
        Assert.False(Pep440Version.TryParse("1" + new string('-', 100_000), out _));
    }
}
