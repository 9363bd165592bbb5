// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using Bulwark.Core.Cvss;
using FsCheck;
using FsCheck.Fluent;

namespace Bulwark.Core.Tests.Properties;

/// Properties of CVSS vectors and scores over vectors FsCheck builds from the metric tables of each version.
public class CvssPropertiesTests
{
    private static readonly string[] Prefixes = ["", "CVSS:3.0/", "CVSS:3.1/", "CVSS:4.0/"];

    public static TheoryData<string> Versions => ["2", "3.0", "3.1", "4.0"];

    [Theory]
    [MemberData(nameof(Versions))]
    public void Every_vector_built_from_the_metric_table_parses_back_to_its_metrics_with_a_score_in_range(string version)
    {
        Check(Prop.ForAll(VectorOf(version).ToArbitrary(), metrics =>
        {
            var text = Text(version, metrics);
            var v = CvssVector.Parse(text);
            Assert.Equal(text, v.ToString());
            Assert.True(v.IsInSpecificationOrder);
            foreach (var (name, value) in metrics) Assert.Equal(value, v.Get(name));
            foreach (var score in new[] { v.BaseScore(), v.Score() })
            {
                Assert.InRange(score, 0.0, 10.0);
                Assert.Equal(score, Math.Round(score, 1));
            }
            var expected = v.BaseScore() switch
            {
                0.0 => CvssSeverity.None,
                < 4.0 => CvssSeverity.Low,
                < 7.0 => CvssSeverity.Medium,
                < 9.0 => CvssSeverity.High,
                _ => CvssSeverity.Critical,
            };
            // v2 has no "None" and no "Critical" (NVD's v2 ranges: 0-3.9 low, 4-6.9 medium, 7-10 high)
            if (version == "2") expected = expected switch { CvssSeverity.None => CvssSeverity.Low, CvssSeverity.Critical => CvssSeverity.High, var s => s };
            Assert.Equal(expected, v.Severity());
        }));
    }

    [Theory]
    [InlineData("3.0")]
    [InlineData("3.1")]
    [InlineData("4.0")]
    public void The_order_of_metrics_does_not_change_a_v3_or_v4_score(string version)
    {
        var shuffled = from metrics in VectorOf(version)
                       from order in Gen.Shuffle(metrics)
                       select (metrics, order);
        Check(Prop.ForAll(shuffled.ToArbitrary(), pair =>
        {
            var inOrder = CvssVector.Parse(Text(version, pair.metrics));
            var other = CvssVector.Parse(Text(version, pair.order));
            Assert.Equal(inOrder.BaseScore(), other.BaseScore());
            Assert.Equal(inOrder.Score(), other.Score());
            Assert.Equal(pair.metrics.Select(m => m.Name).SequenceEqual(pair.order.Select(m => m.Name)), other.IsInSpecificationOrder);
        }));
    }

    /// Each base metric's values from least to most severe: raising one metric never lowers the base score
    /// (the v2 and v3 equations are monotone in every base metric when the others stay fixed).
    public static TheoryData<string, string, string[]> Monotone => new()
    {
        { "2", "AV", ["L", "A", "N"] }, { "2", "AC", ["H", "M", "L"] }, { "2", "Au", ["M", "S", "N"] },
        { "2", "C", ["N", "P", "C"] }, { "2", "I", ["N", "P", "C"] }, { "2", "A", ["N", "P", "C"] },
        { "3.1", "AV", ["P", "L", "A", "N"] }, { "3.1", "AC", ["H", "L"] }, { "3.1", "PR", ["H", "L", "N"] },
        { "3.1", "UI", ["R", "N"] }, { "3.1", "C", ["N", "L", "H"] }, { "3.1", "I", ["N", "L", "H"] },
        { "3.1", "A", ["N", "L", "H"] }, { "3.0", "PR", ["H", "L", "N"] }, { "3.0", "C", ["N", "L", "H"] },
    };

    [Theory]
    [MemberData(nameof(Monotone))]
    public void A_more_severe_base_metric_never_lowers_the_base_score(string version, string metric, string[] ascending)
    {
        Check(Prop.ForAll(VectorOf(version).ToArbitrary(), metrics =>
        {
            var scores = ascending.Select(value =>
                CvssVector.Parse(Text(version, [.. metrics.Select(m => m.Name == metric ? (m.Name, value) : m)])).BaseScore()).ToArray();
            for (var i = 1; i < scores.Length; i++)
                Assert.True(scores[i - 1] <= scores[i],
                    $"{metric}:{ascending[i - 1]} scores {scores[i - 1]} but {metric}:{ascending[i]} scores {scores[i]} in {Text(version, metrics)}");
        }), maxTest: 500);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void Damaged_vectors_parse_or_are_refused_with_the_documented_error(string version)
    {
        var damaged = from metrics in VectorOf(version)
                      let text = Text(version, metrics)
                      from at in Gen.Choose(0, text.Length - 1)
                      from kind in Gen.Choose(0, 3)
                      from c in Gen.Elements('/', ':', 'X', 'N', 'H', '3', '.', ' ', '\0')
                      select kind switch
                      {
                          0 => text.Insert(at, c.ToString()),
                          1 => text.Remove(at, 1),
                          2 => text[..at],
                          _ => text + "/" + text[..at],
                      };
        Check(Prop.ForAll(damaged.ToArbitrary(), text =>
        {
            if (CvssVector.TryParse(text, out var v))
                Assert.InRange(v.Score(), 0.0, 10.0);
            else
                Assert.Equal(text, Assert.Throws<InvalidCvssVectorException>(() => CvssVector.Parse(text)).Text);
        }), maxTest: 2000);
    }

    /// The mandatory metrics with a value each, and some optional ones, in table order.
    private static Gen<(string Name, string Value)[]> VectorOf(string version)
    {
        var table = CvssMetrics.For(version switch { "2" => CvssVersion.V2, "3.0" => CvssVersion.V3_0, "3.1" => CvssVersion.V3_1, _ => CvssVersion.V4_0 });
        var parts = table.Select(m =>
        {
            var value = Gen.Elements(m.Values.ToArray()).Select(v => ((string, string)?)(m.Name, v));
            return m.Mandatory ? value : Gen.Frequency((1, value), (2, Gen.Constant<(string, string)?>(null)));
        });
        // v2 vectors give all temporal metrics or none, and all environmental metrics or none (v2 guide §2.4)
        return Gen.CollectToArray(parts, g => g).Select(a => a.Where(p => p is not null).Select(p => p!.Value).ToArray())
            .Select(a => version == "2" ? V2Groups(a, table) : a);
    }

    private static (string, string)[] V2Groups((string Name, string Value)[] given, IReadOnlyList<CvssMetric> table)
    {
        string[][] groups = [["E", "RL", "RC"], ["CDP", "TD", "CR", "IR", "AR"]];
        var result = given.ToList();
        foreach (var group in groups)
        {
            if (!result.Any(m => group.Contains(m.Name))) continue;
            foreach (var name in group)
                if (!result.Any(m => m.Name == name)) result.Add((name, "ND"));
        }
        var order = table.Select((m, i) => (m.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        return [.. result.OrderBy(m => order[m.Name])];
    }

    private static string Text(string version, IEnumerable<(string Name, string Value)> metrics) =>
        Prefixes[Array.IndexOf(["2", "3.0", "3.1", "4.0"], version)] + string.Join('/', metrics.Select(m => $"{m.Name}:{m.Value}"));

    private static void Check(Property property, int maxTest = 1000) =>
        property.Check(Config.QuickThrowOnFailure.WithMaxTest(maxTest).WithReplay(20261122, 37).WithQuietOnSuccess(true));
}
