// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Cataloging.Ecosystems.Npm;

/// Matches a folder against a "workspaces" entry of package.json ("packages/*", "apps/**", "tools/cli"),
/// segment by segment: '*' and '?' within a segment, '**' for any number of segments. No regular expressions:
/// the patterns come from the scanned files.
internal static class WorkspacePattern
{
    public static bool Matches(string pattern, string folder)
    {
        var p = pattern.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".").ToArray();
        var f = folder.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return Match(p, 0, f, 0, budget: 10_000);
    }

    private static bool Match(string[] p, int i, string[] f, int j, int budget)
    {
        if (budget <= 0) return false;
        if (i == p.Length) return j == f.Length;
        if (p[i] == "**")
        {
            for (var k = j; k <= f.Length; k++)
            {
                if (Match(p, i + 1, f, k, budget - 1 - k)) return true;
            }
            return false;
        }
        return j < f.Length && Segment(p[i], f[j]) && Match(p, i + 1, f, j + 1, budget - 1);
    }

    /// '*' any run of characters, '?' one character; iterative with one backtrack point, so linear-ish time.
    private static bool Segment(string pattern, string text)
    {
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t])) { p++; t++; }
            else if (p < pattern.Length && pattern[p] == '*') { star = p++; mark = t; }
            else if (star >= 0) { p = star + 1; t = ++mark; }
            else return false;
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }
}
