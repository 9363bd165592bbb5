// SPDX-License-Identifier: Apache-2.0
using Bulwark.Versions.Debian;

namespace Bulwark.Versions.Tests.Debian;

public class DebianVersionTests
{
    private static readonly VersionScheme Scheme = VersionSchemes.For("Debian:12");

    public static TheoryData<string, string, string, int> HandWritten => ComparisonFile.Load("debian.txt");
    public static TheoryData<string, string, string, int> Generated => ComparisonFile.Load("debian.generated.txt");

    [Theory, MemberData(nameof(HandWritten))]
    public void Orders_as_debian_policy_says(string where, string a, string b, int expected) =>
        ComparisonFile.Check(Scheme, where, a, b, expected);

    [Theory, MemberData(nameof(Generated))]
    public void Orders_real_versions_as_dpkg_does(string where, string a, string b, int expected) =>
        ComparisonFile.Check(Scheme, where, a, b, expected);

    [Fact]
    public void Every_generated_version_round_trips_through_parse_and_ToString() =>
        SchemeProperties.RoundTrips(Scheme, SchemeProperties.VersionsIn("debian.generated.txt"));

    [Fact]
    public void The_order_is_total_over_the_generated_versions() =>
        SchemeProperties.AssertTotalOrder(Scheme, SchemeProperties.VersionsIn("debian.generated.txt"));

    [Fact]
    public void Parse_splits_epoch_upstream_and_last_hyphen_revision()
    {
        var v = DebianVersion.Parse("1:2.30-0ubuntu1-2");
        Assert.Equal(1, v.Epoch);
        Assert.Equal("2.30-0ubuntu1", v.Upstream);
        Assert.Equal("2", v.Revision);
        Assert.Equal("1:2.30-0ubuntu1-2", v.ToString());

        var plain = DebianVersion.Parse("1.0");
        Assert.Equal(0, plain.Epoch);
        Assert.Equal("1.0", plain.Upstream);
        Assert.Equal("", plain.Revision);
    }

    [Fact]
    public void Equality_is_textual_while_the_order_calls_equivalent_spellings_equal()
    {
        Assert.NotEqual(DebianVersion.Parse("0:1.0"), DebianVersion.Parse("1.0"));
        Assert.Equal(0, DebianVersion.Parse("0:1.0").CompareTo(DebianVersion.Parse("1.0")));
        Assert.True(DebianVersion.Parse("1.0~rc1") < DebianVersion.Parse("1.0"));
    }

    [Theory]
    [InlineData("", "it is empty")]
    [InlineData(":1.0", "the epoch before ':' is empty")]
    [InlineData("a:1.0", "the epoch before ':' is not a number")]
    [InlineData("99999999999:1.0", "the epoch is too large")]
    [InlineData("1:", "the upstream version is empty")]
    [InlineData("1.0-", "the revision after the last '-' is empty")]
    [InlineData("-1", "the upstream version is empty")]
    [InlineData("1.0 ", "the upstream version contains ' '")]
    [InlineData("1.0_1", "the upstream version contains '_'")]
    [InlineData("1:1.0-1:2", "the revision contains ':'")]
    [InlineData("1.0\u00e9", "the upstream version contains '\\u00E9'")]
    public void Rejects_invalid_versions_saying_why(string text, string reason)
    {
        Assert.False(DebianVersion.TryParse(text, out _));
        var e = Assert.Throws<InvalidVersionException>(() => DebianVersion.Parse(text));
        Assert.Equal("Debian", e.Scheme);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Accepts_an_upstream_that_does_not_start_with_a_digit_as_dpkg_does() =>
        Assert.Equal("a1.0", DebianVersion.Parse("a1.0").Upstream);

    [Fact]
    public void Compares_100_KB_versions_in_linear_time()
    {
        SchemeProperties.ComparesInLinearTime(Scheme, "1" + new string('0', 100_000) + "1", "1" + new string('0', 100_000) + "2", -1);
        SchemeProperties.ComparesInLinearTime(Scheme, "1" + new string('~', 100_000), "1" + new string('~', 99_999) + "a", -1);
        SchemeProperties.ComparesInLinearTime(Scheme, string.Concat(Enumerable.Repeat("1.a", 40_000)), string.Concat(Enumerable.Repeat("1.a", 40_000)) + "1", -1);
        SchemeProperties.ComparesInLinearTime(Scheme, "1:" + new string('0', 100_000) + "-1", "1:0-" + new string('0', 100_000) + "1", 0);
    }

    [Fact]
    public void Default_value_is_version_zero() =>
        Assert.Equal(0, default(DebianVersion).CompareTo(DebianVersion.Parse("0")));
}
