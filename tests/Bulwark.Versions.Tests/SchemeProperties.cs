// SPDX-License-Identifier: Apache-2.0
using System.Diagnostics;

namespace Bulwark.Versions.Tests;

/// Checks every scheme shares, over the versions of its comparison files: round trips, a total order (fixed-seed
/// random triples, so failures reproduce), and bounded time on hostile input. Properties/ checks the same laws over
/// versions FsCheck generates.
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

    /// Parse then ToString gives the text back, for every version.
    public static void RoundTrips(VersionScheme scheme, IReadOnlyList<string> texts)
    {
        Assert.NotEmpty(texts);
        foreach (var v in texts)
            Assert.Equal(v, scheme.Parse(v).ToString());
    }

    /// The versions of <paramref name="texts"/>, parsed by the scheme, form a total order.
    public static void AssertTotalOrder(VersionScheme scheme, IReadOnlyList<string> texts, int triples = 20_000, int seed = 4) =>
        AssertTotalOrder(texts.Select(scheme.Parse).ToArray(), equalityIsOrder: false, triples, seed);

    /// Reflexive, antisymmetric and transitive over random triples; equal values (Equals) hash alike and compare
    /// equal, and with <paramref name="equalityIsOrder"/> (types whose Equals is documented to agree with CompareTo,
    /// not textual identity as Debian's, RPM's and apk's is) values that compare equal are Equal; sorting the whole set
    /// gives a sequence that never goes backwards.
    public static void AssertTotalOrder<T>(IReadOnlyList<T> values, bool equalityIsOrder, int triples = 20_000, int seed = 4) where T : IComparable
    {
        Assert.NotEmpty(values);
        var random = new Random(seed);
        for (var n = 0; n < triples; n++)
        {
            var (a, b, c) = (values[random.Next(values.Count)], values[random.Next(values.Count)], values[random.Next(values.Count)]);
            Assert.True(a.CompareTo(a) == 0, $"{a} is not equal to itself");
            var ab = Math.Sign(a.CompareTo(b));
            Assert.True(ab == -Math.Sign(b.CompareTo(a)), $"{a} vs {b} is not antisymmetric");
            if (a.Equals(b)) Assert.True(ab == 0 && a.GetHashCode() == b.GetHashCode(), $"{a} equals {b} but compares {ab} or hashes differently");
            if (equalityIsOrder) Assert.True(ab == 0 == a.Equals(b), $"{a} vs {b}: CompareTo says {ab}, Equals says {a.Equals(b)}");
            var bc = Math.Sign(b.CompareTo(c));
            var ac = Math.Sign(a.CompareTo(c));
            if (ab <= 0 && bc <= 0) Assert.True(ac <= 0, $"{a} <= {b} <= {c} but {a} > {c}");
            if (ab >= 0 && bc >= 0) Assert.True(ac >= 0, $"{a} >= {b} >= {c} but {a} < {c}");
        }
        var sorted = values.Order().ToArray();
        for (var i = 1; i < sorted.Length; i++)
            Assert.True(sorted[i - 1].CompareTo(sorted[i]) <= 0, $"sort: {sorted[i - 1]} after {sorted[i]}");
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
