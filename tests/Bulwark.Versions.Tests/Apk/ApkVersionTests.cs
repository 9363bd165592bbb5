// SPDX-License-Identifier: Apache-2.0
using Bulwark.Versions.Apk;

namespace Bulwark.Versions.Tests.Apk;

public class ApkVersionTests
{
    private static readonly VersionScheme Scheme = VersionSchemes.For("Alpine:v3.19");

    public static TheoryData<string, string, string, int> HandWritten => ComparisonFile.Load("apk.txt");

    [Theory, MemberData(nameof(HandWritten))]
    public void Orders_as_apk_tools_does(string where, string a, string b, int expected) =>
        ComparisonFile.Check(Scheme, where, a, b, expected);

    [Fact]
    public void Every_version_round_trips_through_parse_and_ToString() =>
        SchemeProperties.RoundTrips(Scheme, SchemeProperties.VersionsIn("apk.txt"));

    [Fact]
    public void The_order_is_total_over_the_hand_written_versions() =>
        SchemeProperties.AssertTotalOrder(Scheme, SchemeProperties.VersionsIn("apk.txt"));

    [Theory]
    [InlineData("")]
    [InlineData("a1")]            // must start with a digit
    [InlineData("1.0A")]          // letters are lower case
    [InlineData("1.0ab")]         // one letter only
    [InlineData("1.0_foo")]       // unknown suffix
    [InlineData("1.0_rc1.2")]     // no dotted numbers after a suffix
    [InlineData("1.0-1")]         // the revision is -rN
    [InlineData("1.0-r1a")]       // nothing after the revision number
    [InlineData("1.0-r1_p1")]
    [InlineData("1.0 ")]
    [InlineData("1.0\0")]
    [InlineData("1.0-")]
    [InlineData("1.0-r")]         // the revision needs a number
    [InlineData("1..0")]
    [InlineData("1.")]
    [InlineData("1.0_")]
    [InlineData("1.0_pa")]
    [InlineData("1a2")]           // no number straight after the letter
    [InlineData("1.0a.1")]
    [InlineData("1.0~")]          // a commit hash needs hex digits
    [InlineData("1.0~xyz")]
    [InlineData("1.0-r1~abc")]    // the hash comes before the revision
    public void Rejects_what_apk_rejects(string text)
    {
        Assert.False(ApkVersion.TryParse(text, out _));
        var e = Assert.Throws<InvalidVersionException>(() => ApkVersion.Parse(text));
        Assert.Equal("Alpine", e.Scheme);
    }

    [Fact]
    public void Says_where_an_invalid_version_goes_wrong()
    {
        var e = Assert.Throws<InvalidVersionException>(() => ApkVersion.Parse("1.2.3-1"));
        Assert.Equal("'1.2.3-1' is not a valid Alpine version: unexpected text at offset 5 " +
                     "(expected digit{.digit}...{letter}{_suffix{#}}...{~hash}{-r#}).", e.Message);
    }

    [Fact]
    public void Compares_100_KB_versions_in_linear_time()
    {
        SchemeProperties.ComparesInLinearTime(Scheme, "1." + new string('0', 100_000) + "1", "1." + new string('0', 100_000) + "2", -1);
        SchemeProperties.ComparesInLinearTime(Scheme, string.Concat(Enumerable.Repeat("1.", 50_000)) + "1", string.Concat(Enumerable.Repeat("1.", 50_000)) + "2", -1);
        SchemeProperties.ComparesInLinearTime(Scheme, "1" + string.Concat(Enumerable.Repeat("_p1", 40_000)), "1" + string.Concat(Enumerable.Repeat("_p1", 40_000)) + "_rc", 1);
        SchemeProperties.ComparesInLinearTime(Scheme, "1-r" + new string('9', 100_000), "1-r1" + new string('0', 100_000), -1);
    }
}
