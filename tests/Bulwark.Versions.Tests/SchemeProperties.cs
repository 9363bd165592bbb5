// SPDX-License-Identifier: Apache-2.0
using System.Diagnostics;
using Bulwark.Testing;

namespace Bulwark.Versions.Tests;

/// Checks every scheme shares: a total order over real versions (fixed-seed random triples) and bounded time on hostile input.
public static class SchemeProperties
{
    /// The distinct versions named in a comparison file, in file order.
    public static IReadOnlyList<string> VersionsIn(string fileName)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var list = new List<string>();
        foreach (var row in ComparisonFile.Load(fileName))
        {
            foreach (var v in new[] { (string)row[1], (string)row[2] })
                if (seen.Add(v)) list.Add(v);
        }
        return list;
    }

    /// Reflexive, antisymmetric and transitive over random triples drawn with a fixed seed (reproducible failures).
    public static void AssertTotalOrder(VersionScheme scheme, IReadOnlyList<string> texts, int triples = 20_000, int seed = 4)
    {
        var parsed = texts.Select(scheme.Parse).ToArray();
        var random = new Random(seed);
        for (var n = 0; n < triples; n++)
        {
            int i = random.Next(parsed.Length), j = random.Next(parsed.Length), k = random.Next(parsed.Length);
            var (a, b, c) = (parsed[i], parsed[j], parsed[k]);
            Assert.True(a.CompareTo(a) == 0, $"{texts[i]} is not equal to itself");
            var ab = Math.Sign(a.CompareTo(b));
            Assert.True(ab == -Math.Sign(b.CompareTo(a)), $"{texts[i]} vs {texts[j]} is not antisymmetric");
            var bc = Math.Sign(b.CompareTo(c));
            var ac = Math.Sign(a.CompareTo(c));
            if (ab <= 0 && bc <= 0) Assert.True(ac <= 0, $"{texts[i]} <= {texts[j]} <= {texts[k]} but {texts[i]} > {texts[k]}");
            if (ab == 0 && bc == 0) Assert.True(ac == 0, $"{texts[i]} = {texts[j]} = {texts[k]} but {texts[i]} != {texts[k]}");
        }
    }

    /// Parsing and comparing two long inputs (either outcome: parsed or refused) takes well under a second per 100k
    /// characters; a quadratic loop or a backtracking pattern would take minutes.
    public static void AssertFast(VersionScheme scheme, string a, string b)
    {
        var watch = Stopwatch.StartNew();
        var okA = scheme.TryParse(a, out var va);
        var okB = scheme.TryParse(b, out var vb);
        if (okA && okB) _ = va.CompareTo(vb);
        watch.Stop();
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"{scheme.Name}: {a.Length}-character inputs took {watch.Elapsed}");
    }
}
