// SPDX-License-Identifier: Apache-2.0
using System.Diagnostics;
using Bulwark.Testing;

namespace Bulwark.Versions.Tests;

/// Properties every version type must have, checked over all versions in a generated comparison file.
public static class OrderProperties
{
    /// Every distinct version named in a testdata comparison file, in file order.
    public static IReadOnlyList<string> VersionsIn(string fileName)
    {
        var path = Path.Combine(TestPaths.Project("Bulwark.Versions.Tests"), "testdata", fileName);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var list = new List<string>();
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            foreach (var v in new[] { parts[0], parts[2] })
                if (seen.Add(v)) list.Add(v);
        }
        return list;
    }

    /// Parse then ToString gives the text back, for every version.
    public static void RoundTrips(VersionScheme scheme, IReadOnlyList<string> versions)
    {
        Assert.NotEmpty(versions);
        foreach (var v in versions)
            Assert.Equal(v, scheme.Parse(v).ToString());
    }

    /// Antisymmetry, reflexivity and transitivity on random pairs and triples (fixed seed, so failures reproduce).
    public static void IsTotalOrder(VersionScheme scheme, IReadOnlyList<string> versions, int trials = 20_000)
    {
        var parsed = versions.Select(scheme.Parse).ToArray();
        var random = new Random(20261122);
        for (var n = 0; n < trials; n++)
        {
            var a = parsed[random.Next(parsed.Length)];
            var b = parsed[random.Next(parsed.Length)];
            var c = parsed[random.Next(parsed.Length)];
            Assert.Equal(0, a.CompareTo(a));
            int ab = Math.Sign(a.CompareTo(b)), ba = Math.Sign(b.CompareTo(a));
            Assert.True(ab == -ba, $"antisymmetry: {a} vs {b} = {ab}, {b} vs {a} = {ba}");
            int bc = Math.Sign(b.CompareTo(c)), ac = Math.Sign(a.CompareTo(c));
            if (ab <= 0 && bc <= 0)
                Assert.True(ac <= 0, $"transitivity: {a} <= {b} <= {c} but {a} vs {c} = {ac}");
            if (ab == 0 && bc == 0)
                Assert.True(ac == 0, $"transitivity of equality: {a} = {b} = {c} but {a} vs {c} = {ac}");
        }
        // sorting the whole set with our order gives a sequence that never goes backwards
        var sorted = parsed.Order().ToArray();
        for (var i = 1; i < sorted.Length; i++)
            Assert.True(sorted[i - 1].CompareTo(sorted[i]) <= 0, $"sort: {sorted[i - 1]} after {sorted[i]}");
    }

    /// Two long versions compare within a bound that only a linear-time comparison meets (quadratic would take minutes).
    public static void ComparesInLinearTime(VersionScheme scheme, string a, string b, int expected)
    {
        Assert.True(a.Length >= 100_000 && b.Length >= 100_000);
        var x = scheme.Parse(a);
        var y = scheme.Parse(b);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(expected, Math.Sign(x.CompareTo(y)));
            Assert.Equal(-expected, Math.Sign(y.CompareTo(x)));
        }
        // linear work is milliseconds; a quadratic comparison of 100,000 characters is about 10^10 steps, minutes for 20
        // comparisons, so a wide bound still tells them apart on a loaded 2-core CI machine without flaking
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"20 comparisons of {a.Length}-character versions took {clock.Elapsed}");
    }
}
