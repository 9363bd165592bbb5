// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Core.Cvss;

/// CVSS v2 base equation (v2 guide §3.2.1).
internal static class Cvss2
{
    public static double BaseScore(CvssVector v)
    {
        var av = v.Get("AV") switch { "L" => 0.395, "A" => 0.646, _ => 1.0 };
        var ac = v.Get("AC") switch { "H" => 0.35, "M" => 0.61, _ => 0.71 };
        var au = v.Get("Au") switch { "M" => 0.45, "S" => 0.56, _ => 0.704 };
        var impact = 10.41 * (1 - (1 - Cia(v.Get("C"))) * (1 - Cia(v.Get("I"))) * (1 - Cia(v.Get("A"))));
        var exploitability = 20 * av * ac * au;
        var f = impact == 0 ? 0 : 1.176;
        return RoundToOneDecimal(((0.6 * impact) + (0.4 * exploitability) - 1.5) * f);
    }

    private static double Cia(string? value) => value switch { "P" => 0.275, "C" => 0.660, _ => 0.0 };

    // round_to_1_decimal, half away from zero; the tiny bias absorbs binary error in values such as x.x4999999.
    private static double RoundToOneDecimal(double x) =>
        Math.Max(0, Math.Round((x * 10) + 1e-9, MidpointRounding.AwayFromZero) / 10);
}
