// SPDX-License-Identifier: Apache-2.0
using System.Collections.Frozen;

namespace Bulwark.Core.Cvss;

/// A CVSS version whose vectors Bulwark parses and scores.
public enum CvssVersion
{
    V2,
    V3_0,
    V3_1,
    V4_0,
}

/// One metric of a vector string: its abbreviation, allowed values and whether the base group requires it.
public sealed record CvssMetric(string Name, IReadOnlyList<string> Values, bool Mandatory);

/// The metric tables of each specification, in the order the specification lists them.
public static class CvssMetrics
{
    // CVSS v2 guide, Table 13: base, temporal and environmental metrics; the vector lists them in this order (§2.4).
    private static readonly CvssMetric[] V2 =
    [
        new("AV", ["L", "A", "N"], true),
        new("AC", ["H", "M", "L"], true),
        new("Au", ["M", "S", "N"], true),
        new("C", ["N", "P", "C"], true),
        new("I", ["N", "P", "C"], true),
        new("A", ["N", "P", "C"], true),
        new("E", ["U", "POC", "F", "H", "ND"], false),
        new("RL", ["OF", "TF", "W", "U", "ND"], false),
        new("RC", ["UC", "UR", "C", "ND"], false),
        new("CDP", ["N", "L", "LM", "MH", "H", "ND"], false),
        new("TD", ["N", "L", "M", "H", "ND"], false),
        new("CR", ["L", "M", "H", "ND"], false),
        new("IR", ["L", "M", "H", "ND"], false),
        new("AR", ["L", "M", "H", "ND"], false),
    ];

    // CVSS v3.0 and v3.1 specification, Table 15 (v3.1) / Table 12 (v3.0).
    private static readonly CvssMetric[] V3 =
    [
        new("AV", ["N", "A", "L", "P"], true),
        new("AC", ["L", "H"], true),
        new("PR", ["N", "L", "H"], true),
        new("UI", ["N", "R"], true),
        new("S", ["U", "C"], true),
        new("C", ["H", "L", "N"], true),
        new("I", ["H", "L", "N"], true),
        new("A", ["H", "L", "N"], true),
        new("E", ["X", "H", "F", "P", "U"], false),
        new("RL", ["X", "U", "W", "T", "O"], false),
        new("RC", ["X", "C", "R", "U"], false),
        new("CR", ["X", "H", "M", "L"], false),
        new("IR", ["X", "H", "M", "L"], false),
        new("AR", ["X", "H", "M", "L"], false),
        new("MAV", ["X", "N", "A", "L", "P"], false),
        new("MAC", ["X", "L", "H"], false),
        new("MPR", ["X", "N", "L", "H"], false),
        new("MUI", ["X", "N", "R"], false),
        new("MS", ["X", "U", "C"], false),
        new("MC", ["X", "H", "L", "N"], false),
        new("MI", ["X", "H", "L", "N"], false),
        new("MA", ["X", "H", "L", "N"], false),
    ];

    // CVSS v4.0 specification, Table 23: base, threat, environmental and supplemental metrics.
    private static readonly CvssMetric[] V4 =
    [
        new("AV", ["N", "A", "L", "P"], true),
        new("AC", ["L", "H"], true),
        new("AT", ["N", "P"], true),
        new("PR", ["N", "L", "H"], true),
        new("UI", ["N", "P", "A"], true),
        new("VC", ["H", "L", "N"], true),
        new("VI", ["H", "L", "N"], true),
        new("VA", ["H", "L", "N"], true),
        new("SC", ["H", "L", "N"], true),
        new("SI", ["H", "L", "N"], true),
        new("SA", ["H", "L", "N"], true),
        new("E", ["X", "A", "P", "U"], false),
        new("CR", ["X", "H", "M", "L"], false),
        new("IR", ["X", "H", "M", "L"], false),
        new("AR", ["X", "H", "M", "L"], false),
        new("MAV", ["X", "N", "A", "L", "P"], false),
        new("MAC", ["X", "L", "H"], false),
        new("MAT", ["X", "N", "P"], false),
        new("MPR", ["X", "N", "L", "H"], false),
        new("MUI", ["X", "N", "P", "A"], false),
        new("MVC", ["X", "H", "L", "N"], false),
        new("MVI", ["X", "H", "L", "N"], false),
        new("MVA", ["X", "H", "L", "N"], false),
        new("MSC", ["X", "H", "L", "N"], false),
        new("MSI", ["X", "S", "H", "L", "N"], false),
        new("MSA", ["X", "S", "H", "L", "N"], false),
        new("S", ["X", "N", "P"], false),
        new("AU", ["X", "N", "Y"], false),
        new("R", ["X", "A", "U", "I"], false),
        new("V", ["X", "D", "C"], false),
        new("RE", ["X", "L", "M", "H"], false),
        new("U", ["X", "Clear", "Green", "Amber", "Red"], false),
    ];

    private static readonly FrozenDictionary<string, int> V2Index = IndexOf(V2);
    private static readonly FrozenDictionary<string, int> V3Index = IndexOf(V3);
    private static readonly FrozenDictionary<string, int> V4Index = IndexOf(V4);

    /// The metrics a vector of this version may contain, in specification order.
    public static IReadOnlyList<CvssMetric> For(CvssVersion version) => version switch
    {
        CvssVersion.V2 => V2,
        CvssVersion.V3_0 or CvssVersion.V3_1 => V3,
        _ => V4,
    };

    internal static FrozenDictionary<string, int> IndexFor(CvssVersion version) => version switch
    {
        CvssVersion.V2 => V2Index,
        CvssVersion.V3_0 or CvssVersion.V3_1 => V3Index,
        _ => V4Index,
    };

    private static FrozenDictionary<string, int> IndexOf(CvssMetric[] metrics) =>
        metrics.Select((m, i) => (m.Name, i)).ToFrozenDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
}
