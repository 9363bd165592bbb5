// SPDX-License-Identifier: Apache-2.0
using System.Text.RegularExpressions;

namespace Bulwark.Hygiene.Dependencies.Ecosystems;

/// The parts of a PEP 508 requirement ("name[extra] >=1.0,<2 ; marker" or "name @ URL") this check needs.
internal sealed partial record Pep508(string Name, string Specifier, string? Url)
{
    public static Pep508? TryParse(string text)
    {
        var m = Pattern().Match(text.Trim());
        if (!m.Success) return null;
        var rest = m.Groups["rest"].Value.Trim();
        if (rest.StartsWith('@'))
        {
            var url = rest[1..].Trim();
            var end = url.IndexOfAny([' ', '\t', ';']);
            return new(m.Groups["name"].Value, "", end < 0 ? url : url[..end]);
        }
        var semi = rest.IndexOf(';', StringComparison.Ordinal);
        if (semi >= 0) rest = rest[..semi];
        rest = rest.Trim();
        if (rest.StartsWith('(') && rest.EndsWith(')')) rest = rest[1..^1];
        return new(m.Groups["name"].Value, WhiteSpace().Replace(rest, ""), null);
    }

    /// True for an empty specifier or one made of version clauses ("&gt;=1.0,&lt;2", "~=1.4", "==1.*").
    public static bool IsSpecifier(string specifier) => specifier.Length == 0 || SpecifierPattern().IsMatch(specifier);

    [GeneratedRegex(@"^(?:(?:===|==|!=|~=|<=|>=|<|>)[A-Za-z0-9.*+!_-]+)(?:,(?:===|==|!=|~=|<=|>=|<|>)[A-Za-z0-9.*+!_-]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex SpecifierPattern();

    /// PEP 503 normalisation: lower case, runs of '-', '_' and '.' become one '-'.
    public static string Normalise(string name) => Separators().Replace(name.Trim().ToLowerInvariant(), "-");

    /// Exactly one "==X" or "===X" clause without a wildcard.
    public static bool IsPinned(string specifier)
    {
        var s = specifier.Trim();
        if (!s.StartsWith("==", StringComparison.Ordinal)) return false;
        var v = s.TrimStart('=');
        return v.Length > 0 && !v.Contains(',', StringComparison.Ordinal) && !v.Contains('*', StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^(?<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[[^\]]*\])?\s*(?<rest>.*)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex Pattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    [GeneratedRegex(@"[-_.]+")]
    private static partial Regex Separators();
}
