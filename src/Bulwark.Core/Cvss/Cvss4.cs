// SPDX-License-Identifier: Apache-2.0
using System.Collections.Frozen;
using System.Globalization;

namespace Bulwark.Core.Cvss;

/// CVSS v4.0 scoring by MacroVector (v4.0 specification §8): the vector's equivalence classes EQ1–EQ6 pick a
/// macrovector whose score comes from the specification's table (cvss-v4-macrovectors.tsv); the score is then
/// lowered by the mean, over the EQs that have a next lower macrovector, of the distance to that macrovector's
/// score scaled by how far the vector lies from the highest-severity vectors of its own macrovector.
/// The arithmetic mirrors FIRST's reference calculator (cvss_score.js), including its 0.1 level steps, so that
/// ties round the same way.
internal static class Cvss4
{
    private static readonly FrozenDictionary<int, double> MacroVectorScores = LoadScores();   // key: the six EQ digits as a number

    // Severity levels per metric (reference calculator): lower is more severe.
    private static readonly FrozenDictionary<string, FrozenDictionary<string, double>> Levels = new Dictionary<string, FrozenDictionary<string, double>>
    {
        ["AV"] = L(("N", 0.0), ("A", 0.1), ("L", 0.2), ("P", 0.3)),
        ["PR"] = L(("N", 0.0), ("L", 0.1), ("H", 0.2)),
        ["UI"] = L(("N", 0.0), ("P", 0.1), ("A", 0.2)),
        ["AC"] = L(("L", 0.0), ("H", 0.1)),
        ["AT"] = L(("N", 0.0), ("P", 0.1)),
        ["VC"] = L(("H", 0.0), ("L", 0.1), ("N", 0.2)),
        ["VI"] = L(("H", 0.0), ("L", 0.1), ("N", 0.2)),
        ["VA"] = L(("H", 0.0), ("L", 0.1), ("N", 0.2)),
        ["SC"] = L(("H", 0.1), ("L", 0.2), ("N", 0.3)),
        ["SI"] = L(("S", 0.0), ("H", 0.1), ("L", 0.2), ("N", 0.3)),
        ["SA"] = L(("S", 0.0), ("H", 0.1), ("L", 0.2), ("N", 0.3)),
        ["CR"] = L(("H", 0.0), ("M", 0.1), ("L", 0.2)),
        ["IR"] = L(("H", 0.0), ("M", 0.1), ("L", 0.2)),
        ["AR"] = L(("H", 0.0), ("M", 0.1), ("L", 0.2)),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // Highest-severity vectors of each EQ level (specification Tables 24–29; EQ3 and EQ6 jointly).
    private static readonly string[][] Eq1Max = [["AV:N/PR:N/UI:N"], ["AV:A/PR:N/UI:N", "AV:N/PR:L/UI:N", "AV:N/PR:N/UI:P"], ["AV:P/PR:N/UI:N", "AV:A/PR:L/UI:P"]];
    private static readonly string[][] Eq2Max = [["AC:L/AT:N"], ["AC:H/AT:N", "AC:L/AT:P"]];
    private static readonly string[][] Eq4Max = [["SC:H/SI:S/SA:S"], ["SC:H/SI:H/SA:H"], ["SC:L/SI:L/SA:L"]];

    private static string[] Eq3Eq6Max(int eq3, int eq6) => (eq3, eq6) switch
    {
        (0, 0) => ["VC:H/VI:H/VA:H/CR:H/IR:H/AR:H"],
        (0, 1) => ["VC:H/VI:H/VA:L/CR:M/IR:M/AR:H", "VC:H/VI:H/VA:H/CR:M/IR:M/AR:M"],
        (1, 0) => ["VC:L/VI:H/VA:H/CR:H/IR:H/AR:H", "VC:H/VI:L/VA:H/CR:H/IR:H/AR:H"],
        (1, 1) => ["VC:L/VI:H/VA:L/CR:H/IR:M/AR:H", "VC:L/VI:H/VA:H/CR:H/IR:M/AR:M", "VC:H/VI:L/VA:H/CR:M/IR:H/AR:M", "VC:H/VI:L/VA:L/CR:M/IR:H/AR:H", "VC:L/VI:L/VA:H/CR:H/IR:H/AR:M"],
        _ => ["VC:L/VI:L/VA:L/CR:H/IR:H/AR:H"],
    };

    // Depth of each EQ level in severity steps, plus one ("maxSeverity" in the reference calculator).
    private static readonly int[] Eq1Depth = [1, 4, 5];
    private static readonly int[] Eq2Depth = [1, 2];
    private static readonly int[] Eq4Depth = [6, 5, 4];
    private const int Eq5Depth = 1;

    private static int Eq3Eq6Depth(int eq3, int eq6) => (eq3, eq6) switch
    {
        (0, 0) => 7,
        (0, 1) => 6,
        (1, _) => 8,
        _ => 10,
    };

    private static readonly string[] ImpactMetrics = ["VC", "VI", "VA", "SC", "SI", "SA"];

    private static readonly string[] DistanceMetrics = ["AV", "PR", "UI", "AC", "AT", "VC", "VI", "VA", "SC", "SI", "SA", "CR", "IR", "AR"];

    // For each (EQ1, EQ2, EQ3, EQ4, EQ6): its highest-severity vectors as levels in DistanceMetrics order, in the
    // reference calculator's iteration order (EQ1, then EQ2, EQ3+EQ6, EQ4).
    private static readonly FrozenDictionary<(int, int, int, int, int), double[][]> MaxVectors = BuildMaxVectors();

    private static FrozenDictionary<(int, int, int, int, int), double[][]> BuildMaxVectors()
    {
        var result = new Dictionary<(int, int, int, int, int), double[][]>();
        foreach (var (eq3, eq6) in new[] { (0, 0), (0, 1), (1, 0), (1, 1), (2, 1) })
        {
            for (var eq1 = 0; eq1 < 3; eq1++)
            {
                for (var eq2 = 0; eq2 < 2; eq2++)
                {
                    for (var eq4 = 0; eq4 < 3; eq4++)
                    {
                        result[(eq1, eq2, eq3, eq4, eq6)] =
                            [.. from m1 in Eq1Max[eq1]
                                from m2 in Eq2Max[eq2]
                                from m36 in Eq3Eq6Max(eq3, eq6)
                                from m4 in Eq4Max[eq4]
                                let max = ParseMax($"{m1}/{m2}/{m36}/{m4}")
                                select DistanceMetrics.Select(name => Levels[name][max[name]]).ToArray()];
                    }
                }
            }
        }

        return result.ToFrozenDictionary();
    }

    /// The score of a v4.0 vector: CVSS-B from the base metrics only, or (with <paramref name="allMetrics"/>)
    /// CVSS-BT/BE/BTE taking threat and environmental metrics into account.
    public static double Score(CvssVector v, bool allMetrics = false)
    {
        var Metric = Resolver(v, allMetrics);
        if (ImpactMetrics.All(m => Metric(m) == "N"))
        {
            return 0.0;
        }

        var (eq1, eq2, eq3, eq4, eq5, eq6) = MacroVector(Metric);
        var value = Lookup(eq1, eq2, eq3, eq4, eq5, eq6);

        var lowerEq1 = Lookup(eq1 + 1, eq2, eq3, eq4, eq5, eq6);
        var lowerEq2 = Lookup(eq1, eq2 + 1, eq3, eq4, eq5, eq6);
        var lowerEq3Eq6 = (eq3, eq6) switch
        {
            (1, 1) or (0, 1) => Lookup(eq1, eq2, eq3 + 1, eq4, eq5, eq6),
            (1, 0) => Lookup(eq1, eq2, eq3, eq4, eq5, eq6 + 1),
            (0, 0) => Max(Lookup(eq1, eq2, eq3, eq4, eq5, eq6 + 1), Lookup(eq1, eq2, eq3 + 1, eq4, eq5, eq6)),
            _ => double.NaN,   // 21 has no lower macrovector
        };
        var lowerEq4 = Lookup(eq1, eq2, eq3, eq4 + 1, eq5, eq6);
        var lowerEq5 = Lookup(eq1, eq2, eq3, eq4, eq5 + 1, eq6);

        // Severity distances to the first highest-severity vector of the macrovector that is nowhere less severe.
        Span<double> levels = stackalloc double[DistanceMetrics.Length];
        for (var i = 0; i < DistanceMetrics.Length; i++)
        {
            levels[i] = Levels[DistanceMetrics[i]][Metric(DistanceMetrics[i])];
        }

        double dEq1 = 0, dEq2 = 0, dEq3Eq6 = 0, dEq4 = 0;
        Span<double> d = stackalloc double[DistanceMetrics.Length];
        foreach (var max in MaxVectors[(eq1, eq2, eq3, eq4, eq6)])
        {
            var below = false;
            for (var i = 0; i < d.Length && !below; i++)
            {
                d[i] = levels[i] - max[i];
                below = d[i] < 0;
            }

            if (below)
            {
                continue;
            }

            // DistanceMetrics order: AV PR UI | AC AT | VC VI VA | SC SI SA | CR IR AR
            dEq1 = d[0] + d[1] + d[2];
            dEq2 = d[3] + d[4];
            dEq3Eq6 = d[5] + d[6] + d[7] + d[11] + d[12] + d[13];
            dEq4 = d[8] + d[9] + d[10];
            break;
        }

        const double Step = 0.1;
        var existing = 0;
        double Normalized(double lower, double distance, double depth)
        {
            var available = value - lower;
            if (double.IsNaN(available))
            {
                return 0;
            }

            existing++;
            return available * (distance / (depth * Step));
        }

        var sum = Normalized(lowerEq1, dEq1, Eq1Depth[eq1])
            + Normalized(lowerEq2, dEq2, Eq2Depth[eq2])
            + Normalized(lowerEq3Eq6, dEq3Eq6, Eq3Eq6Depth(eq3, eq6))
            + Normalized(lowerEq4, dEq4, Eq4Depth[eq4])
            + Normalized(lowerEq5, 0, Eq5Depth);
        var mean = existing == 0 ? 0 : sum / existing;
        var score = Math.Clamp(value - mean, 0.0, 10.0);
        // The reference calculator adds 1e-6 before rounding so that x.x5 computed as x.x4999… still rounds up.
        return Math.Round((score + 1e-6) * 10, MidpointRounding.AwayFromZero) / 10;
    }

    // Not Defined threat and requirement metrics take the worst case (E:A, CR/IR/AR:H); a modified metric replaces its base metric.
    private static Func<string, string> Resolver(CvssVector v, bool allMetrics) => name =>
    {
        var given = allMetrics ? v.Get(name) : null;
        if (name is "E")
        {
            return given is null or "X" ? "A" : given;
        }

        if (name is "CR" or "IR" or "AR")
        {
            return given is null or "X" ? "H" : given;
        }

        var modified = allMetrics ? v.Get("M" + name) : null;
        return modified is null or "X" ? v.Get(name)! : modified;
    };

    private static (int, int, int, int, int, int) MacroVector(Func<string, string> m)
    {
        var (av, pr, ui) = (m("AV"), m("PR"), m("UI"));
        var eq1 = av == "N" && pr == "N" && ui == "N" ? 0
            : (av == "N" || pr == "N" || ui == "N") && av != "P" ? 1
            : 2;
        var eq2 = m("AC") == "L" && m("AT") == "N" ? 0 : 1;
        var (vc, vi, va) = (m("VC"), m("VI"), m("VA"));
        var eq3 = vc == "H" && vi == "H" ? 0 : vc == "H" || vi == "H" || va == "H" ? 1 : 2;
        var (si, sa) = (m("SI"), m("SA"));
        var eq4 = si == "S" || sa == "S" ? 0 : m("SC") == "H" || si == "H" || sa == "H" ? 1 : 2;
        var eq5 = m("E") switch { "A" => 0, "P" => 1, _ => 2 };
        var eq6 = (m("CR") == "H" && vc == "H") || (m("IR") == "H" && vi == "H") || (m("AR") == "H" && va == "H") ? 0 : 1;
        return (eq1, eq2, eq3, eq4, eq5, eq6);
    }

    private static double Lookup(int eq1, int eq2, int eq3, int eq4, int eq5, int eq6) =>
        MacroVectorScores.TryGetValue((eq1 * 100000) + (eq2 * 10000) + (eq3 * 1000) + (eq4 * 100) + (eq5 * 10) + eq6, out var s) ? s : double.NaN;

    private static double Max(double a, double b) => double.IsNaN(a) || double.IsNaN(b) ? double.NaN : Math.Max(a, b);

    private static Dictionary<string, string> ParseMax(string text) =>
        text.Split('/').Select(p => p.Split(':')).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);

    private static FrozenDictionary<string, double> L(params (string Value, double Level)[] levels) =>
        levels.ToFrozenDictionary(l => l.Value, l => l.Level, StringComparer.Ordinal);

    private static FrozenDictionary<int, double> LoadScores()
    {
        using var stream = typeof(Cvss4).Assembly.GetManifestResourceStream("Bulwark.Core.Cvss.cvss-v4-macrovectors.tsv")
            ?? throw new InvalidOperationException("The CVSS v4.0 macrovector table is not embedded in Bulwark.Core.");
        using var reader = new StreamReader(stream);
        var scores = new Dictionary<int, double>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            scores.Add(int.Parse(line.AsSpan(0, tab), NumberStyles.None, CultureInfo.InvariantCulture), double.Parse(line.AsSpan(tab + 1), NumberStyles.Float, CultureInfo.InvariantCulture));
        }

        return scores.ToFrozenDictionary();
    }
}
