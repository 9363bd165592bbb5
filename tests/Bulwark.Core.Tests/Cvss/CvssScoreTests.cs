// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using Bulwark.Core.Cvss;
using Bulwark.Testing;

namespace Bulwark.Core.Tests.Cvss;

public class CvssScoreTests
{
    private static readonly string TestData = Path.Combine(TestPaths.Project("Bulwark.Core.Tests"), "Cvss", "testdata");

    // Examples from the specifications' example documents (CVE, vector, published base score).
    [Theory]
    // CVSS v3.1 Examples (FIRST)
    [InlineData("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1)]   // CVE-2013-1937 phpMyAdmin XSS
    [InlineData("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 6.4)]   // CVE-2013-0375 MySQL
    [InlineData("CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N", 3.1)]   // CVE-2014-3566 POODLE
    [InlineData("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 9.9)]   // CVE-2012-1516 VMware
    [InlineData("CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L", 4.2)]   // CVE-2009-0783 Tomcat
    [InlineData("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 8.8)]   // CVE-2012-0384 Cisco IOS
    [InlineData("CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 7.8)]   // CVE-2015-1098 Apple iWork
    [InlineData("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5)]   // CVE-2014-0160 Heartbleed
    [InlineData("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8)]   // CVE-2014-6271 Shellshock
    [InlineData("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N", 7.4)]   // CVE-2014-0224 OpenSSL CCS injection
    [InlineData("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H", 9.6)]   // CVE-2012-5376 Chrome IPC
    [InlineData("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8)]
    [InlineData("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0)]   // no impact, no score
    // CVSS v2 guide §3.3 examples
    [InlineData("AV:N/AC:L/Au:N/C:N/I:N/A:C", 7.8)]                     // CVE-2002-0392 Apache chunked encoding
    [InlineData("AV:N/AC:L/Au:N/C:C/I:C/A:C", 10.0)]                    // CVE-2003-0818 Microsoft ASN.1
    [InlineData("AV:L/AC:H/Au:N/C:C/I:C/A:C", 6.2)]                     // CVE-2003-0062 NOD32
    [InlineData("AV:N/AC:L/Au:N/C:P/I:P/A:P", 7.5)]
    [InlineData("AV:N/AC:L/Au:N/C:N/I:N/A:N", 0.0)]
    // CVSS v4.0: FIRST calculator examples
    [InlineData("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", 10.0)]
    [InlineData("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 9.3)]
    [InlineData("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N", 6.9)]
    [InlineData("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N", 0.0)]
    [InlineData("CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:L/VI:L/VA:L/SC:L/SI:L/SA:L", 1.0)]
    public void Scores_the_specification_examples(string vector, double expected)
    {
        Assert.Equal(expected, CvssVector.Parse(vector).BaseScore());
    }

    [Fact]
    public void Ignores_threat_and_environmental_metrics_in_the_v4_base_score()
    {
        var plain = CvssVector.Parse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N");
        var withThreat = CvssVector.Parse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U/MAV:P");
        Assert.Equal(plain.BaseScore(), withThreat.BaseScore());
    }

    [Theory]
    [InlineData(CvssVersion.V3_1, 0.0, CvssSeverity.None)]
    [InlineData(CvssVersion.V3_1, 0.1, CvssSeverity.Low)]
    [InlineData(CvssVersion.V3_1, 3.9, CvssSeverity.Low)]
    [InlineData(CvssVersion.V3_0, 4.0, CvssSeverity.Medium)]
    [InlineData(CvssVersion.V4_0, 6.9, CvssSeverity.Medium)]
    [InlineData(CvssVersion.V4_0, 7.0, CvssSeverity.High)]
    [InlineData(CvssVersion.V3_1, 8.9, CvssSeverity.High)]
    [InlineData(CvssVersion.V3_1, 9.0, CvssSeverity.Critical)]
    [InlineData(CvssVersion.V4_0, 10.0, CvssSeverity.Critical)]
    [InlineData(CvssVersion.V2, 0.0, CvssSeverity.Low)]
    [InlineData(CvssVersion.V2, 4.0, CvssSeverity.Medium)]
    [InlineData(CvssVersion.V2, 10.0, CvssSeverity.High)]
    public void Rates_scores_by_the_specification_ranges(CvssVersion version, double score, CvssSeverity expected)
    {
        Assert.Equal(expected, CvssRating.Of(version, score));
    }

    [Fact]
    public void Rejects_a_score_outside_zero_to_ten()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CvssRating.Of(CvssVersion.V3_1, 10.1));
    }

    [Theory]
    [InlineData(CvssVersion.V3_1, 4.000000000000001, 4.0)]   // v3.1 Appendix A's own example
    [InlineData(CvssVersion.V3_0, 4.000000000000001, 4.1)]
    [InlineData(CvssVersion.V3_1, 4.02, 4.1)]
    [InlineData(CvssVersion.V3_0, 4.02, 4.1)]
    [InlineData(CvssVersion.V3_1, 4.0, 4.0)]
    [InlineData(CvssVersion.V3_1, 9.99, 10.0)]
    public void Rounds_up_as_each_v3_specification_defines(CvssVersion version, double input, double expected)
    {
        Assert.Equal(expected, CvssRounding.RoundUp(version, input));
    }

    [Fact]
    public void Agrees_with_an_independent_implementation_on_every_generated_vector()
    {
        var lines = ReadGenerated();
        Assert.True(lines.Count > 11_000, $"only {lines.Count} generated vectors");
        var wrong = new List<string>();
        foreach (var (vector, expected) in lines)
        {
            if (expected == "error")
            {
                continue;
            }

            var actual = CvssVector.Parse(vector).BaseScore().ToString("0.0", CultureInfo.InvariantCulture);
            if (actual != expected)
            {
                wrong.Add($"{vector}: {actual}, reference {expected}");
            }
        }

        Assert.True(wrong.Count == 0, $"{wrong.Count} disagreements:\n" + string.Join("\n", wrong.Take(40)));
    }

    [Fact]
    public void Applies_temporal_threat_and_environmental_metrics_as_an_independent_implementation_does()
    {
        var lines = ReadGenerated("cvss-full.generated.txt");
        Assert.True(lines.Count > 8_000, $"only {lines.Count} generated vectors");
        var wrong = lines
            .Select(l => ReferenceQuirks.TryGetValue(l.Vector, out var ours) ? (l.Vector, Score: ours) : l)
            .Select(l => (l.Vector, l.Score, Actual: CvssVector.Parse(l.Vector).Score().ToString("0.0", CultureInfo.InvariantCulture)))
            .Where(l => l.Actual != l.Score)
            .Select(l => $"{l.Vector}: {l.Actual}, reference {l.Score}")
            .ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} disagreements:\n" + string.Join("\n", wrong.Take(40)));
    }

    [Theory]
    [InlineData("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P", 9.3)]
    [InlineData("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/MAV:L", 7.9)]
    [InlineData("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:X/RL:X", 9.8)]
    [InlineData("AV:N/AC:L/Au:N/C:P/I:P/A:P/E:POC", 6.8)]
    [InlineData("AV:N/AC:L/Au:N/C:C/I:C/A:C/E:F/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:H", 9.2)]   // v2 guide §3.3.2, CVE-2003-0818
    [InlineData("AV:N/AC:L/Au:N/C:P/I:P/A:P/CDP:H", 8.8)]    // v2 guide §3.2.3: (7.5 + 2.5 × 0.5) × 1 = 8.75
    [InlineData("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U", 8.1)]
    public void Scores_a_vector_with_every_metric_it_defines(string vector, double expected)
    {
        Assert.Equal(expected, CvssVector.Parse(vector).Score());
    }

    // The reference rounds 9.0 × 0.95 = 8.55 in binary floating point (8.549999…) down to 8.5; the v2 guide's
    // round_to_1_decimal of 8.55 is 8.6.
    private static readonly Dictionary<string, string> ReferenceQuirks = new(StringComparer.Ordinal)
    {
        ["AV:N/AC:L/Au:N/C:P/I:P/A:C/RL:W"] = "8.6",
        ["AV:N/AC:L/Au:S/C:C/I:C/A:C/RL:W"] = "8.6",
        ["AV:N/AC:M/Au:N/C:P/I:C/A:C/RC:UR"] = "8.6",
    };

    private static List<(string Vector, string Score)> ReadGenerated(string file = "cvss.generated.txt") =>
        File.ReadLines(Path.Combine(TestData, file))
            .Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l.Split('\t'))
            .Select(p => (p[0], p[1]))
            .ToList();
}
