// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core.Cvss;

namespace Bulwark.Core.Tests.Cvss;

public class CvssVectorTests
{
    [Theory]
    [InlineData("AV:N/AC:L/Au:N/C:P/I:P/A:P", CvssVersion.V2)]
    [InlineData("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", CvssVersion.V3_0)]
    [InlineData("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", CvssVersion.V3_1)]
    [InlineData("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", CvssVersion.V4_0)]
    public void Parses_each_supported_version(string text, CvssVersion version)
    {
        var vector = CvssVector.Parse(text);
        Assert.Equal(version, vector.Version);
        Assert.Equal(text, vector.Text);
        Assert.True(vector.IsInSpecificationOrder);
    }

    [Fact]
    public void Reads_temporal_and_environmental_metrics_of_a_v3_vector()
    {
        var vector = CvssVector.Parse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C/CR:H/MAV:L/MS:C");
        Assert.Equal("P", vector.Get("E"));
        Assert.Equal("O", vector.Get("RL"));
        Assert.Equal("L", vector.Get("MAV"));
        Assert.Null(vector.Get("MUI"));
        Assert.Equal(14, vector.Metrics.Count());
    }

    [Fact]
    public void Reads_threat_environmental_and_supplemental_metrics_of_a_v4_vector()
    {
        var vector = CvssVector.Parse(
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U/CR:L/MSI:S/S:P/AU:Y/R:I/V:C/RE:H/U:Amber");
        Assert.Equal("U", vector.Get("E"));
        Assert.Equal("S", vector.Get("MSI"));
        Assert.Equal("Amber", vector.Get("U"));
        Assert.Equal("Y", vector.Get("AU"));
    }

    [Fact]
    public void Accepts_v3_and_v4_metrics_in_another_order_but_says_so()
    {
        var v3 = CvssVector.Parse("CVSS:3.1/S:U/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H");
        Assert.False(v3.IsInSpecificationOrder);
        Assert.Equal(9.8, v3.BaseScore());

        // As published in GHSA-28g4-38q8-3cwc: subsequent-system impacts interleaved.
        var v4 = CvssVector.Parse("CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/SC:N/VI:H/SI:N/VA:H/SA:N");
        Assert.False(v4.IsInSpecificationOrder);
        Assert.Equal(8.7, v4.BaseScore());
    }

    [Theory]
    [InlineData("", "the vector is empty")]
    [InlineData("CVSS:3.1", "no metrics follow the version prefix")]
    [InlineData("CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P", "unsupported version prefix 'CVSS:2.0'")]
    [InlineData("CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "unsupported version prefix 'CVSS:3.2'")]
    [InlineData("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", "mandatory base metric A missing")]
    [InlineData("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/C:H/I:H", "mandatory base metrics S, A missing")]
    [InlineData("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/A:L", "metric 'A' is given more than once")]
    [InlineData("CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "metric 'AV' has value 'X'; CVSS v3.1 allows N, A, L, P")]
    [InlineData("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:Q", "metric 'E' has value 'Q'")]
    [InlineData("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/AT:N", "unknown metric 'AT' for CVSS v3.1")]
    [InlineData("CVSS:3.1/av:n/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "unknown metric 'av'")]
    [InlineData("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/", "part 9 is empty")]
    [InlineData("CVSS:3.1/AV:N//AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "part 2 is empty")]
    [InlineData("CVSS:3.1/AV:N:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "part 1 'AV:N:L' is not METRIC:VALUE")]
    [InlineData("CVSS:3.1/AVN/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "part 1 'AVN' is not METRIC:VALUE")]
    [InlineData("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N", "metric 'SI' has value 'S'")]
    [InlineData("CVSS:4.0/AV:N/AC:L/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "mandatory base metric AT missing")]
    [InlineData("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/U:amber", "metric 'U' has value 'amber'")]
    [InlineData("AV:N/AC:L/Au:N/C:P/I:P", "mandatory base metric A missing")]
    [InlineData("AC:L/AV:N/Au:N/C:P/I:P/A:P", "metric 'AV' comes after 'AC'; CVSS v2 vectors list metrics in the order AV/AC/Au/")]
    [InlineData("AV:N/AC:L/Au:N/C:P/I:P/A:P/E:X", "metric 'E' has value 'X'; CVSS v2 allows U, POC, F, H, ND")]
    [InlineData("(AV:N/AC:L/Au:N/C:P/I:P/A:P)", "unknown metric '(AV'")]
    public void Rejects_a_malformed_vector_naming_the_wrong_metric(string text, string reason)
    {
        Assert.False(CvssVector.TryParse(text, out var vector, out var error));
        Assert.Null(vector);
        Assert.StartsWith(reason, error, StringComparison.Ordinal);
        var thrown = Assert.Throws<InvalidCvssVectorException>(() => CvssVector.Parse(text));
        Assert.Equal(error, thrown.Reason);
        Assert.Contains("Check the vector against the CVSS specification", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_null_through_TryParse()
    {
        Assert.False(CvssVector.TryParse(null, out var vector));
        Assert.Null(vector);
    }

    [Fact]
    public void Rejects_a_very_long_input_without_reading_it_all()
    {
        var text = "CVSS:3.1/" + string.Concat(Enumerable.Repeat("AV:N/", 200_000));
        Assert.False(CvssVector.TryParse(text, out _, out var error));
        Assert.Equal($"the vector is {text.Length} characters long, more than the 512 any CVSS vector needs", error);
        var thrown = Assert.Throws<InvalidCvssVectorException>(() => CvssVector.Parse(text));
        Assert.True(thrown.Message.Length < 600);
    }

    [Theory]
    [InlineData("CVSS:")]
    [InlineData("CVSS:3.1/")]
    [InlineData("/")]
    [InlineData(":")]
    [InlineData("CVSS:3.1/:")]
    [InlineData("CVSS:3.1/AV:")]
    [InlineData("CVSS:3.1/:N")]
    [InlineData("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/U:Clear\u0000")]
    [InlineData("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\n")]
    [InlineData(" CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")]
    [InlineData("CVSS:3.1/AV:\uFF2E/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")]
    public void Rejects_odd_input_with_a_reason_and_no_crash(string text)
    {
        Assert.False(CvssVector.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }
}
