// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using Bulwark.Versions.Pep440;

namespace Bulwark.Hygiene.Dependencies.Ecosystems;

/// Whether a version satisfies a PEP 440 version specifier ("&gt;=2.31,!=2.32.0", "~=1.4", "==1.*"), and Poetry's
/// caret and tilde constraints ("^1.2", "~1.2") turned into the same clauses. Versions are compared with
/// <see cref="Pep440Version"/>. Only what this check needs: pre-release exclusion rules are not applied, so a locked
/// pre-release is never reported for that reason alone.
internal static class Pep440Specifier
{
    private static readonly string[] Operators = ["===", "==", "!=", "~=", "<=", ">=", "<", ">"];

    /// True or false; null when the specifier or the version cannot be read (then nothing is judged).
    public static bool? Allows(string specifier, string version)
    {
        if (!Pep440Version.TryParse(version, out var v)) return null;
        var clauses = specifier.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (clauses.Length == 0) return true;
        foreach (var clause in clauses)
        {
            var op = Operators.FirstOrDefault(o => clause.StartsWith(o, StringComparison.Ordinal));
            if (op is null) return null;
            var text = clause[op.Length..].Trim();
            if (op == "===")
            {
                if (!text.Equals(version.Trim(), StringComparison.OrdinalIgnoreCase)) return false;
                continue;
            }
            if (text.EndsWith(".*", StringComparison.Ordinal))
            {
                if (op is not ("==" or "!=") || !Pep440Version.TryParse(text[..^2], out var prefix)) return null;
                if ((op == "==") != PrefixMatches(prefix, v)) return false;
                continue;
            }
            if (!Pep440Version.TryParse(text, out var s)) return null;
            // a specifier without a local label ignores the candidate's (PEP 440, "Version matching")
            var candidate = s.Local.Length == 0 && version.Contains('+', StringComparison.Ordinal) && Pep440Version.TryParse(version[..version.IndexOf('+', StringComparison.Ordinal)], out var p) ? p : v;
            var c = candidate.CompareTo(s);
            var ok = op switch
            {
                "==" => c == 0,
                "!=" => c != 0,
                ">=" => c >= 0,
                "<=" => c <= 0,
                ">" => c > 0,
                "<" => c < 0,
                "~=" => c >= 0 && Compatible(s, v) is true,
                _ => true,
            };
            if (!ok) return false;
        }
        return true;
    }

    /// A Poetry constraint as PEP 440 clauses: "^1.2.3" → "&gt;=1.2.3,&lt;2.0.0", "~1.2" → "&gt;=1.2,&lt;1.3", "1.2.3" → "==1.2.3",
    /// "*" → "" (anything), "&gt;=1 &lt;2" → "&gt;=1,&lt;2"; null for what is not converted ("||" alternatives).
    public static string? FromPoetry(string constraint)
    {
        var c = constraint.Trim();
        if (c is "" or "*") return "";
        if (c.Contains("||", StringComparison.Ordinal) || c.Contains('|', StringComparison.Ordinal)) return null;
        var parts = c.Replace(", ", ",", StringComparison.Ordinal).Split([',', ' '], StringSplitOptions.RemoveEmptyEntries);
        var clauses = new List<string>();
        foreach (var part in parts)
        {
            if (part.StartsWith('^')) clauses.AddRange(Caret(part[1..]) ?? []);
            else if (part.StartsWith('~') && !part.StartsWith("~=", StringComparison.Ordinal)) clauses.AddRange(Tilde(part[1..]) ?? []);
            else if (char.IsAsciiDigit(part[0])) clauses.Add("==" + part);
            else clauses.Add(part);
            if (clauses.Count == 0) return null;
        }
        return string.Join(',', clauses);
    }

    private static string[]? Caret(string text)
    {
        var r = Release(text);
        if (r is null) return null;
        // bump the first non-zero component (or the last one given when all are zero)
        var i = Array.FindIndex(r, n => n != 0);
        if (i < 0) i = r.Length - 1;
        var upper = r.Take(i + 1).Select((n, k) => k == i ? n + 1 : n).ToArray();
        return [">=" + text, "<" + string.Join('.', upper.Select(n => n.ToString(CultureInfo.InvariantCulture)))];
    }

    private static string[]? Tilde(string text)
    {
        var r = Release(text);
        if (r is null) return null;
        var keep = r.Length == 1 ? 1 : 2;
        var upper = r.Take(keep).Select((n, k) => k == keep - 1 ? n + 1 : n);
        return [">=" + text, "<" + string.Join('.', upper.Select(n => n.ToString(CultureInfo.InvariantCulture)))];
    }

    private static long[]? Release(string text)
    {
        var parts = text.Split('.');
        var numbers = new long[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]) || numbers[i] > int.MaxValue) return null;
        return numbers;
    }

    // "~=2.2.1" means ">=2.2.1, ==2.2.*": the release without its last component is a prefix of the version's
    private static bool? Compatible(Pep440Version spec, Pep440Version v)
    {
        var r = spec.Release.Split('.');
        if (r.Length < 2) return null;
        return Pep440Version.TryParse(string.Join('.', r[..^1]), out var prefix) && PrefixMatches(prefix, v);
    }

    private static bool PrefixMatches(Pep440Version prefix, Pep440Version v)
    {
        if (prefix.Epoch.TrimStart('0') != v.Epoch.TrimStart('0')) return false;
        var p = prefix.Release.Split('.');
        var r = v.Release.Split('.');
        for (var i = 0; i < p.Length; i++)
        {
            var a = p[i].TrimStart('0');
            var b = i < r.Length ? r[i].TrimStart('0') : "";
            if (a != b) return false;
        }
        return true;
    }
}
