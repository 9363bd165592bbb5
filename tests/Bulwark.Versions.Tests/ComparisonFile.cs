// SPDX-License-Identifier: Apache-2.0
using Bulwark.Testing;

namespace Bulwark.Versions.Tests;

/// Comparator tests as text (STYLE.md): testdata/&lt;scheme&gt;.txt and &lt;scheme&gt;.generated.txt, one comparison a line
/// ("1:0.9 > 2.0", "1.0~rc1 < 1.0", "1.0-1 = 1.0-1"), '#' comments and blank lines ignored.
public static class ComparisonFile
{
    public static TheoryData<string, string, string, int> Load(string fileName)
    {
        var path = Path.Combine(TestPaths.Project("Bulwark.Versions.Tests"), "testdata", fileName);
        var data = new TheoryData<string, string, string, int>();
        var n = 0;
        foreach (var raw in File.ReadLines(path))
        {
            n++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 3 || parts[1] is not ("<" or ">" or "="))
                throw new FormatException($"{fileName}:{n}: expected 'A < B', 'A > B' or 'A = B', got '{raw}'");
            data.Add($"{fileName}:{n}", parts[0], parts[2], parts[1] switch { "<" => -1, ">" => 1, _ => 0 });
        }
        return data;
    }

    /// Asserts the comparison both ways (antisymmetry).
    public static void Check(VersionScheme scheme, string where, string a, string b, int expected)
    {
        var ab = Math.Sign(scheme.Compare(a, b));
        var ba = Math.Sign(scheme.Compare(b, a));
        Assert.True(ab == expected, $"{where}: {a} vs {b} gave {ab}, expected {expected}");
        Assert.True(ba == -expected, $"{where}: {b} vs {a} gave {ba}, expected {-expected}");
    }
}
