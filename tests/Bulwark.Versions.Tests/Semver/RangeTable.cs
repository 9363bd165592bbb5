// SPDX-License-Identifier: Apache-2.0
using Bulwark.Testing;

namespace Bulwark.Versions.Tests.Semver;

/// Range tests as text: "range | version | true" a line (the range may itself contain "||"; "" is the empty range).
public static class RangeTable
{
    public static TheoryData<string, string, string, bool> Load(string fileName)
    {
        var path = Path.Combine(TestPaths.Project("Bulwark.Versions.Tests"), "testdata", fileName);
        var data = new TheoryData<string, string, string, bool>();
        var n = 0;
        foreach (var raw in File.ReadLines(path))
        {
            n++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var last = line.LastIndexOf(" | ", StringComparison.Ordinal);
            var middle = last < 0 ? -1 : line.LastIndexOf(" | ", last - 1, StringComparison.Ordinal);
            if (middle < 0 || line[(last + 3)..] is not ("true" or "false"))
                throw new FormatException($"{fileName}:{n}: expected 'range | version | true|false', got '{raw}'");
            var range = line[..middle].Trim();
            data.Add($"{fileName}:{n}", range == "\"\"" ? "" : range, line[(middle + 3)..last].Trim(), line[(last + 3)..] == "true");
        }
        return data;
    }
}
