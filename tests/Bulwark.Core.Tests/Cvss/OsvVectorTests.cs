// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core.Cvss;
using Bulwark.Testing;

namespace Bulwark.Core.Tests.Cvss;

/// Every distinct CVSS vector in the offline OSV data (testdata/osv-vectors.txt, see generators/README.md).
public class OsvVectorTests
{
    // Upstream vectors that do not follow their specification, with the reason our parser gives.
    private static readonly Dictionary<string, string> KnownBad = new(StringComparer.Ordinal)
    {
    };

    [Fact]
    public void Parses_every_vector_in_the_offline_osv_data_except_the_known_bad_ones()
    {
        var rows = File.ReadLines(Path.Combine(TestPaths.Project("Bulwark.Core.Tests"), "Cvss", "testdata", "osv-vectors.txt"))
            .Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l.Split('\t'))
            .ToList();
        Assert.True(rows.Count > 1000, $"only {rows.Count} vectors");
        var failures = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (!CvssVector.TryParse(row[1], out var vector, out var error))
            {
                failures[row[1]] = error;
                continue;
            }

            var expectedType = vector.Version switch
            {
                CvssVersion.V2 => "CVSS_V2",
                CvssVersion.V4_0 => "CVSS_V4",
                _ => "CVSS_V3",
            };
            Assert.Equal(expectedType, row[0]);
            Assert.InRange(vector.BaseScore(), 0.0, 10.0);
        }

        Assert.Equal(KnownBad, failures);
    }
}
