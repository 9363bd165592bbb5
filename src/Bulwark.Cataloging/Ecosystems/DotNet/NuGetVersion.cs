// SPDX-License-Identifier: Apache-2.0
using System.Globalization;

namespace Bulwark.Cataloging.Ecosystems.DotNet;

/// NuGet version text as restore writes it: normalised versions, and the one version a requested range pins.
/// https://learn.microsoft.com/nuget/concepts/package-versioning
internal static class NuGetVersion
{
    /// The normalised form NuGet uses in lock and assets files ("1.0" → "1.0.0", "1.2.3.0" → "1.2.3",
    /// "01.2.3" → "1.2.3", build metadata dropped), or null when the text is not a version.
    public static string? Normalise(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var v = text.Trim();
        var plus = v.IndexOf('+');
        if (plus >= 0) v = v[..plus];
        var dash = v.IndexOf('-');
        var release = dash >= 0 ? v[..dash] : v;
        var label = dash >= 0 ? v[(dash + 1)..] : null;
        if (label is not null && (label.Length == 0 || !label.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-'))) return null;
        var parts = release.Split('.');
        if (parts.Length is < 1 or > 4) return null;
        var numbers = new List<long>(4);
        foreach (var p in parts)
        {
            if (p.Length is 0 or > 9 || !p.All(char.IsAsciiDigit)) return null;
            numbers.Add(long.Parse(p, CultureInfo.InvariantCulture));
        }
        while (numbers.Count < 3) numbers.Add(0);
        if (numbers.Count == 4 && numbers[3] == 0) numbers.RemoveAt(3);
        var normal = string.Join('.', numbers.Select(n => n.ToString(CultureInfo.InvariantCulture)));
        return label is null ? normal : $"{normal}-{label}";
    }

    /// The version a requested version or range stands for when restore would pick exactly one version:
    /// "1.2.3" (a minimum; restore takes the lowest that satisfies it), "[1.2.3]", "[1.2.3, 1.2.3]" and
    /// "[1.2.3, )". Null for floating versions ("1.*") and real ranges ("[1.0, 2.0)").
    public static string? Pinned(string? requested)
    {
        if (string.IsNullOrWhiteSpace(requested)) return null;
        var r = requested.Trim();
        if (r.Contains('*', StringComparison.Ordinal)) return null;
        if (r[0] is not '[' and not '(') return Normalise(r);
        if (r[0] != '[' || r.Length < 3) return null;
        var close = r[^1];
        var inner = r[1..^1];
        var comma = inner.IndexOf(',');
        if (comma < 0) return close == ']' ? Normalise(inner) : null;
        var low = Normalise(inner[..comma]);
        var high = inner[(comma + 1)..].Trim();
        if (low is null) return null;
        if (high.Length == 0) return close == ')' ? low : null;
        return close == ']' && Normalise(high) == low ? low : null;
    }

    /// The exact version of "[x]" or "[x, x]" only (nuspec dependencies: a bare "x" there means "x or later").
    public static string? Exact(string? range)
    {
        if (string.IsNullOrWhiteSpace(range)) return null;
        var r = range.Trim();
        if (!r.StartsWith('[') || !r.EndsWith(']')) return null;
        var inner = r[1..^1];
        var comma = inner.IndexOf(',');
        if (comma < 0) return Normalise(inner);
        var low = Normalise(inner[..comma]);
        return low is not null && Normalise(inner[(comma + 1)..]) == low ? low : null;
    }

    /// The lower bound of a range ("[2026.8.0, )" → "2026.8.0"), as lock files state a project reference's version.
    public static string? LowerBound(string? range)
    {
        if (string.IsNullOrWhiteSpace(range)) return null;
        var r = range.Trim();
        if (r[0] is not '[' and not '(') return Normalise(r);
        if (r[0] != '[') return null;
        var comma = r.IndexOf(',');
        return Normalise(comma < 0 ? r[1..^1] : r[1..comma]);
    }
}
