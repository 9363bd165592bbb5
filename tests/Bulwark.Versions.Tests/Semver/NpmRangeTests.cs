// SPDX-License-Identifier: Apache-2.0
using System.Diagnostics;
using Bulwark.Versions.Semver;

namespace Bulwark.Versions.Tests.Semver;

public class NpmRangeTests
{
    public static TheoryData<string, string, string, bool> HandWritten => RangeTable.Load("npm-ranges.txt");
    public static TheoryData<string, string, string, bool> Generated => RangeTable.Load("npm-ranges.generated.txt");

    [Theory]
    [MemberData(nameof(HandWritten))]
    public void Satisfies_hand_written_cases(string where, string range, string version, bool expected) =>
        Assert.True(NpmRange.Parse(range).Satisfies(version) == expected, $"{where}: '{range}' vs {version}: expected {expected}");

    [Theory]
    [MemberData(nameof(Generated))]
    public void Satisfies_as_npm_semver_does(string where, string range, string version, bool expected) =>
        Assert.True(NpmRange.Parse(range).Satisfies(version) == expected, $"{where}: '{range}' vs {version}: expected {expected}");

    [Theory]
    [InlineData("^1.2.3", ">=1.2.3 <2.0.0-0")]
    [InlineData("~1.2", ">=1.2.0 <1.3.0-0")]
    [InlineData("1.2.3 - 2.3", ">=1.2.3 <2.4.0-0")]
    [InlineData("1.x || >=2.5.0", ">=1.0.0 <2.0.0-0||>=2.5.0")]
    [InlineData("^0.0.3", ">=0.0.3 <0.0.4-0")]
    [InlineData(">1.2", ">=1.3.0")]
    [InlineData("<=1", "<2.0.0-0")]
    [InlineData("*", "*")]
    [InlineData(">=1.0.0 *", ">=1.0.0")]
    public void Desugars_as_node_semver_does(string range, string expected) =>
        Assert.Equal(expected, NpmRange.Parse(range).ToString());

    [Theory]
    [InlineData("^1.2.3", "2.0.0-beta", false)]
    [InlineData("^1.2.3", "1.5.0-beta", true)]
    [InlineData("*", "1.0.0-rc.1", true)]
    public void Includes_pre_releases_when_asked(string range, string version, bool expected) =>
        Assert.Equal(expected, NpmRange.Parse(range, includePrerelease: true).Satisfies(version));

    [Fact]
    public void An_unparsable_version_satisfies_nothing() => Assert.False(NpmRange.Parse("*").Satisfies("not-a-version"));

    [Theory]
    [InlineData(">=abc")]
    [InlineData("1.2.3.4")]
    [InlineData("^1.2.3-")]
    [InlineData("~>")]
    [InlineData("1.2.3 - ")]
    public void Rejects_ranges_that_are_not_node_semver(string range)
    {
        Assert.False(NpmRange.TryParse(range, out _));
        Assert.Throws<InvalidVersionException>(() => NpmRange.Parse(range));
    }

    [Fact]
    public void Parses_a_long_hostile_range_in_linear_time()
    {
        var text = string.Join(" || ", Enumerable.Repeat(">=1.2.3 <2", 50_000));
        var sw = Stopwatch.StartNew();
        var range = NpmRange.Parse(text);
        Assert.False(range.Satisfies("3.0.0"));
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"took {sw.Elapsed}");
    }
}
