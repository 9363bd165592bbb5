// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace Bulwark.Cataloging.Ecosystems.Python;

/// One PEP 508 dependency specification: "name[extra1,extra2] (>=1.0,<2) ; python_version < '3.11'"
/// or "name @ https://…". Pieces are kept as text; versions are not interpreted here.
internal sealed partial record PythonRequirement(string Name, ImmutableArray<string> Extras, string Specifier, string? Url, string? Marker)
{
    /// The pinned version when the specifier is exactly one "==X" or "===X" clause without a wildcard; otherwise null.
    public string? PinnedVersion
    {
        get
        {
            var s = Specifier.Trim();
            string? v = s.StartsWith("===", StringComparison.Ordinal) ? s[3..] : s.StartsWith("==", StringComparison.Ordinal) ? s[2..] : null;
            v = v?.Trim();
            return string.IsNullOrEmpty(v) || v.Contains(',', StringComparison.Ordinal) || v.Contains('*', StringComparison.Ordinal) || v.Any(char.IsWhiteSpace) ? null : v;
        }
    }

    public string NormalisedName => PythonNames.Normalise(Name);

    public static bool TryParse(string text, out PythonRequirement requirement)
    {
        requirement = null!;
        var m = Pattern().Match(text.Trim());
        if (!m.Success) return false;
        var extras = m.Groups["extras"].Success
            ? m.Groups["extras"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToImmutableArray()
            : [];
        var rest = m.Groups["rest"].Value.Trim();
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
            if (rest.Length > 0 && !SpecifierPattern().IsMatch(rest)) return false;
            specifier = WhitespacePattern().Replace(rest, "");
        }
        requirement = new PythonRequirement(m.Groups["name"].Value, extras, specifier, url, string.IsNullOrEmpty(marker) ? null : marker);
        return true;
    }

    [GeneratedRegex(@"^(?<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[(?<extras>[^\]]*)\])?(?<rest>.*)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex Pattern();

    // one or more comparison clauses separated by commas: "~=1.2", ">= 1.0, < 2", "==1.*"
    [GeneratedRegex(@"^\s*(?:~=|===|==|!=|<=|>=|<|>)\s*[A-Za-z0-9._+*!-]+\s*(?:,\s*(?:~=|===|==|!=|<=|>=|<|>)\s*[A-Za-z0-9._+*!-]+\s*)*$", RegexOptions.CultureInvariant)]
    private static partial Regex SpecifierPattern();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex WhitespacePattern();
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
