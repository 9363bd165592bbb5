// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;

namespace Bulwark.Cataloging.Ecosystems.Python;

/// One PEP 508 dependency specification: "name[extra1,extra2] (>=1.0,<2) ; python_version < '3.11'"
/// or "name @ https://…". Pieces are kept as text; versions are not interpreted here.
internal sealed record PythonRequirement(string Name, ImmutableArray<string> Extras, string Specifier, string? Url, string? Marker)
{
    /// The pinned version when the specifier is exactly one "==X" or "===X" clause without a wildcard; otherwise null.
    public string? PinnedVersion
    {
        get
        {
            var s = Specifier.Trim();
            string? v = s.StartsWith("===", StringComparison.Ordinal) ? s[3..] : s.StartsWith("==", StringComparison.Ordinal) ? s[2..] : null;
            v = v?.Trim();
            return string.IsNullOrEmpty(v) || v.Contains(',', StringComparison.Ordinal) || v.Contains('*', StringComparison.Ordinal) || HasWhiteSpace(v) ? null : v;
        }
    }

    public string NormalisedName => PythonNames.Normalise(Name);

    public static bool TryParse(string text, out PythonRequirement requirement)
    {
        // By hand, not with a regex: the first generated regex used in a run initialises every regex of the
        // assembly (2 ms of a 40 ms run). The grammar, from PEP 508 as we accept it:
        //   name    = [A-Za-z0-9] ([A-Za-z0-9._-]* [A-Za-z0-9])?
        //   req     = name ws* ("[" extras "]")? rest
        //   rest    = "@" url (ws+ ";" marker)? | specifier (";" marker)?
        requirement = null!;
        var t = text.Trim();
        var nameEnd = 0;
        while (nameEnd < t.Length && (char.IsAsciiLetterOrDigit(t[nameEnd]) || t[nameEnd] is '.' or '_' or '-')) nameEnd++;
        // the name ends at its last letter or digit; trailing '.', '_' or '-' belong to what follows
        while (nameEnd > 0 && !char.IsAsciiLetterOrDigit(t[nameEnd - 1])) nameEnd--;
        if (nameEnd == 0 || !char.IsAsciiLetterOrDigit(t[0])) return false;
        var at = nameEnd;
        while (at < t.Length && char.IsWhiteSpace(t[at])) at++;
        var extras = ImmutableArray<string>.Empty;
        if (at < t.Length && t[at] == '[')
        {
            var close = t.IndexOf(']', at + 1);
            if (close >= 0)
            {
                extras = ImmutableArray.Create(t[(at + 1)..close].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                at = close + 1;
            }
        }
        var rest = t[at..].Trim();
        string? url = null;
        string? marker = null;
        string specifier;
        if (rest.StartsWith('@'))
        {
            // a URL ends at whitespace; a marker may follow after ';' (PEP 508 requires a space before it)
            rest = rest[1..].TrimStart();
            var end = rest.IndexOfAny([' ', '\t']);
            url = end < 0 ? rest : rest[..end];
            var after = end < 0 ? "" : rest[end..].Trim();
            if (url.EndsWith(';')) { url = url[..^1]; after = ";" + after; }
            if (after.StartsWith(';')) marker = after[1..].Trim();
            else if (after.Length > 0) return false;
            specifier = "";
        }
        else
        {
            var semi = rest.IndexOf(';', StringComparison.Ordinal);
            if (semi >= 0)
            {
                marker = rest[(semi + 1)..].Trim();
                rest = rest[..semi].Trim();
            }
            if (rest.StartsWith('(') && rest.EndsWith(')')) rest = rest[1..^1].Trim();
            if (rest.Length > 0 && !IsSpecifierList(rest)) return false;
            specifier = WithoutWhiteSpace(rest);
        }
        requirement = new PythonRequirement(t[..nameEnd], extras, specifier, url, string.IsNullOrEmpty(marker) ? null : marker);
        return true;
    }

    /// One or more comparison clauses separated by commas: "~=1.2", ">= 1.0, < 2", "==1.*".
    internal static bool IsSpecifierList(string s)
    {
        var i = 0;
        while (true)
        {
            SkipWhiteSpace(s, ref i);
            var op = OperatorLength(s, i);
            if (op == 0) return false;
            i += op;
            SkipWhiteSpace(s, ref i);
            var start = i;
            while (i < s.Length && (char.IsAsciiLetterOrDigit(s[i]) || s[i] is '.' or '_' or '+' or '*' or '!' or '-')) i++;
            if (i == start) return false;
            SkipWhiteSpace(s, ref i);
            if (i == s.Length) return true;
            if (s[i] != ',') return false;
            i++;
        }
    }

    // the longest operator at i wins: a shorter one would leave '=' where a version must start
    private static int OperatorLength(string s, int i)
    {
        var rest = s.AsSpan(i);
        if (rest.StartsWith("===", StringComparison.Ordinal)) return 3;
        if (rest.StartsWith("~=", StringComparison.Ordinal) || rest.StartsWith("==", StringComparison.Ordinal)
            || rest.StartsWith("!=", StringComparison.Ordinal) || rest.StartsWith("<=", StringComparison.Ordinal)
            || rest.StartsWith(">=", StringComparison.Ordinal)) return 2;
        return rest.Length > 0 && rest[0] is '<' or '>' ? 1 : 0;
    }

    private static void SkipWhiteSpace(string s, ref int i)
    {
        while (i < s.Length && char.IsWhiteSpace(s[i])) i++;
    }

    private static bool HasWhiteSpace(string s)
    {
        foreach (var c in s)
            if (char.IsWhiteSpace(c)) return true;
        return false;
    }

    private static string WithoutWhiteSpace(string s)
    {
        if (!HasWhiteSpace(s)) return s;
        var b = new System.Text.StringBuilder(s.Length);
        foreach (var c in s)
            if (!char.IsWhiteSpace(c)) b.Append(c);
        return b.ToString();
    }
}

/// Python package names.
internal static partial class PythonNames
{
    /// PEP 503 normalisation: lowercase, runs of '-', '_' and '.' become one '-'. Names that normalise equal are the same project.
    /// By hand, not with a regex: the first generated regex used in a run initialises every regex of the assembly (2 ms).
    public static string Normalise(string name)
    {
        var lower = name.Trim().ToLowerInvariant();
        if (lower.AsSpan().IndexOfAny("-_.") < 0) return lower;
        var result = new System.Text.StringBuilder(lower.Length);
        for (var i = 0; i < lower.Length; i++)
        {
            if (lower[i] is '-' or '_' or '.')
            {
                result.Append('-');
                while (i + 1 < lower.Length && lower[i + 1] is '-' or '_' or '.') i++;
            }
            else
            {
                result.Append(lower[i]);
            }
        }
        return result.ToString();
    }
}
