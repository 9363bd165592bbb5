// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Core.Cvss;

/// CVSS v2 equations (v2 guide §3.2).
internal static class Cvss2
{
    private static readonly string[] TemporalMetrics = ["E", "RL", "RC"];
    private static readonly string[] EnvironmentalMetrics = ["CDP", "TD", "CR", "IR", "AR"];

    public static double BaseScore(CvssVector v) => Base(v, 1, 1, 1);

    /// The environmental score when an environmental metric is defined, else the temporal score when a temporal
    /// metric is defined, else the base score (v2 guide §3.2.2 and §3.2.3).
    public static double Score(CvssVector v)
    {
        static bool Defined(CvssVector v, string[] metrics) => metrics.Any(m => v.Get(m) is { } x && x != "ND");
        if (Defined(v, EnvironmentalMetrics))
        {
            static double Requirement(string? value) => value switch { "L" => 0.5, "H" => 1.51, _ => 1.0 };
            var adjustedTemporal = Temporal(v, Base(v, Requirement(v.Get("CR")), Requirement(v.Get("IR")), Requirement(v.Get("AR")), adjusted: true));
            var cdp = v.Get("CDP") switch { "L" => 0.1, "LM" => 0.3, "MH" => 0.4, "H" => 0.5, _ => 0.0 };
            var td = v.Get("TD") switch { "N" => 0.0, "L" => 0.25, "M" => 0.75, _ => 1.0 };
            return RoundToOneDecimal((adjustedTemporal + ((10 - adjustedTemporal) * cdp)) * td);
        }

        return Defined(v, TemporalMetrics) ? Temporal(v, BaseScore(v)) : BaseScore(v);
    }

    private static double Temporal(CvssVector v, double baseScore) => RoundToOneDecimal(
        baseScore
        * (v.Get("E") switch { "U" => 0.85, "POC" => 0.9, "F" => 0.95, _ => 1.0 })
        * (v.Get("RL") switch { "OF" => 0.87, "TF" => 0.90, "W" => 0.95, _ => 1.0 })
        * (v.Get("RC") switch { "UC" => 0.90, "UR" => 0.95, _ => 1.0 }));

    // The base equation; the environmental score reuses it with the security requirements weighting each impact
    // and the impact capped at 10 (AdjustedImpact).
    private static double Base(CvssVector v, double cr, double ir, double ar, bool adjusted = false)
    {
        var av = v.Get("AV") switch { "L" => 0.395, "A" => 0.646, _ => 1.0 };
        var ac = v.Get("AC") switch { "H" => 0.35, "M" => 0.61, _ => 0.71 };
        var au = v.Get("Au") switch { "M" => 0.45, "S" => 0.56, _ => 0.704 };
        var impact = 10.41 * (1 - ((1 - (Cia(v.Get("C")) * cr)) * (1 - (Cia(v.Get("I")) * ir)) * (1 - (Cia(v.Get("A")) * ar))));
        if (adjusted)
        {
            impact = Math.Min(10, impact);
        }

        var exploitability = 20 * av * ac * au;
        var f = impact == 0 ? 0 : 1.176;
        return RoundToOneDecimal(((0.6 * impact) + (0.4 * exploitability) - 1.5) * f);
    }

    private static double Cia(string? value) => value switch { "P" => 0.275, "C" => 0.660, _ => 0.0 };

    // round_to_1_decimal, half away from zero; the tiny bias absorbs binary error in values such as x.x4999999.
    private static double RoundToOneDecimal(double x) =>
        Math.Max(0, Math.Round((x * 10) + 1e-9, MidpointRounding.AwayFromZero) / 10);
}
