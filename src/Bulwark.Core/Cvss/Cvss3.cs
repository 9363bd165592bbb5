// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Core.Cvss;

/// CVSS v3.0 and v3.1 equations (v3.1 specification §7, v3.0 specification §8).
internal static class Cvss3
{
    public static double BaseScore(CvssVector v)
    {
        var changed = v.Get("S") == "C";
        var av = v.Get("AV") switch { "N" => 0.85, "A" => 0.62, "L" => 0.55, _ => 0.2 };
        var ac = v.Get("AC") == "L" ? 0.77 : 0.44;
        var pr = v.Get("PR") switch { "N" => 0.85, "L" => changed ? 0.68 : 0.62, _ => changed ? 0.5 : 0.27 };
        var ui = v.Get("UI") == "N" ? 0.85 : 0.62;
        var iss = 1 - ((1 - Cia(v.Get("C"))) * (1 - Cia(v.Get("I"))) * (1 - Cia(v.Get("A"))));
        var impact = changed ? (7.52 * (iss - 0.029)) - (3.25 * Math.Pow(iss - 0.02, 15)) : 6.42 * iss;
        var exploitability = 8.22 * av * ac * pr * ui;
        if (impact <= 0)
        {
            return 0;
        }

        var raw = changed ? Math.Min(1.08 * (impact + exploitability), 10) : Math.Min(impact + exploitability, 10);
        return CvssRounding.RoundUp(v.Version, raw);
    }

    private static readonly string[] TemporalMetrics = ["E", "RL", "RC"];
    private static readonly string[] EnvironmentalMetrics = ["CR", "IR", "AR", "MAV", "MAC", "MPR", "MUI", "MS", "MC", "MI", "MA"];

    /// The environmental score when an environmental metric is defined, else the temporal score when a temporal
    /// metric is defined, else the base score (v3.1 specification §7.2 and §7.3, v3.0 §8.2 and §8.3).
    public static double Score(CvssVector v)
    {
        static bool Defined(CvssVector v, string[] metrics) => metrics.Any(m => v.Get(m) is { } x && x != "X");
        var temporal = (v.Get("E") switch { "F" => 0.97, "P" => 0.94, "U" => 0.91, _ => 1.0 })
            * (v.Get("RL") switch { "W" => 0.97, "T" => 0.96, "O" => 0.95, _ => 1.0 })
            * (v.Get("RC") switch { "R" => 0.96, "U" => 0.92, _ => 1.0 });
        if (Defined(v, EnvironmentalMetrics))
        {
            return Environmental(v, temporal);
        }

        return Defined(v, TemporalMetrics) ? CvssRounding.RoundUp(v.Version, BaseScore(v) * temporal) : BaseScore(v);
    }

    private static double Environmental(CvssVector v, double temporal)
    {
        string M(string name) => v.Get("M" + name) is { } m && m != "X" ? m : v.Get(name)!;
        static double Requirement(string? value) => value switch { "H" => 1.5, "L" => 0.5, _ => 1.0 };
        var changed = M("S") == "C";
        var av = M("AV") switch { "N" => 0.85, "A" => 0.62, "L" => 0.55, _ => 0.2 };
        var ac = M("AC") == "L" ? 0.77 : 0.44;
        var pr = M("PR") switch { "N" => 0.85, "L" => changed ? 0.68 : 0.62, _ => changed ? 0.5 : 0.27 };
        var ui = M("UI") == "N" ? 0.85 : 0.62;
        var miss = Math.Min(
            1 - ((1 - (Requirement(v.Get("CR")) * Cia(M("C"))))
                * (1 - (Requirement(v.Get("IR")) * Cia(M("I"))))
                * (1 - (Requirement(v.Get("AR")) * Cia(M("A"))))),
            0.915);
        var impact = !changed ? 6.42 * miss
            : v.Version == CvssVersion.V3_0 ? (7.52 * (miss - 0.029)) - (3.25 * Math.Pow(miss - 0.02, 15))
            : (7.52 * (miss - 0.029)) - (3.25 * Math.Pow((miss * 0.9731) - 0.02, 13));
        var exploitability = 8.22 * av * ac * pr * ui;
        if (impact <= 0)
        {
            return 0;
        }

        var raw = changed ? Math.Min(1.08 * (impact + exploitability), 10) : Math.Min(impact + exploitability, 10);
        return CvssRounding.RoundUp(v.Version, CvssRounding.RoundUp(v.Version, raw) * temporal);
    }

    private static double Cia(string? value) => value switch { "H" => 0.56, "L" => 0.22, _ => 0.0 };
}

/// The Roundup functions of the CVSS v3 specifications.
public static class CvssRounding
{
    /// Rounds up to one decimal as <paramref name="version"/> defines it. v3.1 (Appendix A) works on integers so
    /// that floating-point error cannot add a tenth: 4.000000000000001 rounds to 4.0, where v3.0's definition,
    /// "the smallest number, specified to one decimal place, that is equal to or higher than its input" (§8.1),
    /// gives 4.1.
    public static double RoundUp(CvssVersion version, double input)
    {
        if (version == CvssVersion.V3_0)
        {
            return Math.Ceiling(input * 10) / 10;
        }

        var intInput = (long)Math.Round(input * 100000);
        return intInput % 10000 == 0 ? intInput / 100000.0 : (Math.Floor(intInput / 10000.0) + 1) / 10.0;
    }
}
