// SPDX-License-Identifier: Apache-2.0
using Bulwark.Versions.Rpm;

namespace Bulwark.Versions.Tests.Rpm;

public class RpmVersionTests
{
    private static readonly VersionScheme Scheme = VersionSchemes.For("AlmaLinux:8");

    public static TheoryData<string, string, string, int> HandWritten => ComparisonFile.Load("rpm.txt");
    public static TheoryData<string, string, string, int> Generated => ComparisonFile.Load("rpm.generated.txt");

    [Theory, MemberData(nameof(HandWritten))]
    public void Orders_as_rpmvercmp_does(string where, string a, string b, int expected) =>
        ComparisonFile.Check(Scheme, where, a, b, expected);

    [Theory, MemberData(nameof(Generated))]
    public void Orders_real_versions_as_rpm_does(string where, string a, string b, int expected) =>
        ComparisonFile.Check(Scheme, where, a, b, expected);

    [Fact]
    public void Every_generated_version_round_trips_through_parse_and_ToString() =>
        SchemeProperties.RoundTrips(Scheme, SchemeProperties.VersionsIn("rpm.generated.txt"));

    [Fact]
    public void The_order_is_total_over_the_generated_versions() =>
        SchemeProperties.AssertTotalOrder(Scheme, SchemeProperties.VersionsIn("rpm.generated.txt"));

    [Fact]
    public void Parse_splits_epoch_version_and_release()
    {
        var v = RpmVersion.Parse("1:1.1.1k-5.el8_5");
        Assert.Equal(1, v.Epoch);
        Assert.Equal("1.1.1k", v.Version);
        Assert.Equal("5.el8_5", v.Release);
        Assert.Equal("1:1.1.1k-5.el8_5", v.ToString());
        Assert.Equal("", RpmVersion.Parse("2.0").Release);
    }

    [Theory]
    [InlineData("", "it is empty")]
    [InlineData(":1.0", "the epoch before ':' is not a number")]
    [InlineData("a:1.0", "the epoch before ':' is not a number")]
    [InlineData("99999999999:1.0", "the epoch is too large")]
    [InlineData("-1", "the version is empty")]
    [InlineData("1.0-", "the release after the last '-' is empty")]
    [InlineData("1.0 1", "the version contains ' '")]
    [InlineData("1.0-1/2", "the release contains '/'")]
    [InlineData("1:2:3", "the version contains ':'")]
    public void Rejects_invalid_versions_saying_why(string text, string reason)
    {
        Assert.False(RpmVersion.TryParse(text, out _));
        var e = Assert.Throws<InvalidVersionException>(() => RpmVersion.Parse(text));
        Assert.Equal("RPM", e.Scheme);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compares_100_KB_versions_in_linear_time()
    {
        SchemeProperties.ComparesInLinearTime(Scheme, "1." + new string('0', 100_000) + "1", "1." + new string('0', 100_000) + "2", -1);
        SchemeProperties.ComparesInLinearTime(Scheme, string.Concat(Enumerable.Repeat("a.", 50_000)), string.Concat(Enumerable.Repeat("a.", 50_000)) + "1", -1);
        SchemeProperties.ComparesInLinearTime(Scheme, "1" + new string('~', 100_000), "1" + new string('^', 100_000), -1);
        SchemeProperties.ComparesInLinearTime(Scheme, "1-" + new string('.', 100_000) + "1", "1-" + new string('_', 100_000) + "1", 0);
    }
}
