// SPDX-License-Identifier: Apache-2.0
using System.Collections.Frozen;
using System.Text;
using System.Text.Json;

namespace Bulwark.Sbom.Licenses;

/// How a declared license string can be written: an SPDX id, an SPDX expression, or only as free text.
public enum LicenseForm { Id, Expression, Name }

/// A declared license classified for writing: its form and its normalised text.
public readonly record struct LicenseText(LicenseForm Form, string Text);

/// The SPDX license and exception ids (embedded from CycloneDX's spdx.schema.json) and license expression parsing
/// (SPDX 2.3 Annex D: simple ids, "+", LicenseRef-/DocumentRef-, WITH, AND, OR, parentheses).
public static class SpdxLicenses
{
    private static readonly Lazy<FrozenDictionary<string, string>> Ids = new(LoadIds);

    /// The canonical spelling of a listed id (ids match case-insensitively, SPDX 2.3 Annex D.2), or null.
    public static string? CanonicalId(string id) => Ids.Value.TryGetValue(id.Trim(), out var canonical) ? canonical : null;

    /// Classifies one declared license string: a listed id, a valid expression (normalised: ids in their canonical
    /// case, operators upper-case, single spaces), or anything else as a name.
    public static LicenseText Classify(string text)
    {
        var trimmed = text.Trim();
        if (CanonicalId(trimmed) is { } id) return new(LicenseForm.Id, id);
        return TryNormaliseExpression(trimmed, out var expression) ? new(LicenseForm.Expression, expression) : new(LicenseForm.Name, trimmed);
    }

    /// Parses an SPDX license expression and returns it normalised; false when it is not a valid expression.
    public static bool TryNormaliseExpression(string text, out string normalised)
    {
        normalised = "";
        var tokens = Tokenise(text);
        if (tokens is null || tokens.Count == 0) return false;
        var parser = new ExpressionParser(tokens);
        if (!parser.ParseOr() || parser.Position != tokens.Count) return false;
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (i > 0 && t != ")" && tokens[i - 1] != "(") sb.Append(' ');
            sb.Append(t);
        }
        normalised = sb.ToString();
        return true;
    }

    // Splits on whitespace and parentheses; operators are upper-cased and ids put in their canonical case.
    private static List<string>? Tokenise(string text)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c is '(' or ')') { tokens.Add(c.ToString()); i++; continue; }
            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not '(' and not ')') i++;
            var word = text[start..i];
            var upper = word.ToUpperInvariant();
            if (upper is "AND" or "OR" or "WITH") { tokens.Add(upper); continue; }
            if (CanonicalLicense(word) is not { } license) return null;
            tokens.Add(license);
        }
        return tokens;
    }

    private static string? CanonicalLicense(string word)
    {
        if (CanonicalId(word) is { } id) return id;
        if (word.EndsWith('+') && CanonicalId(word[..^1]) is { } orLater) return orLater + "+";
        if (IsLicenseRef(word)) return word;
        var colon = word.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && word.StartsWith("DocumentRef-", StringComparison.Ordinal) && IsIdString(word.AsSpan(12, colon - 12)) && IsLicenseRef(word[(colon + 1)..]))
            return word;
        return null;
    }

    private static bool IsLicenseRef(string word) =>
        word.StartsWith("LicenseRef-", StringComparison.Ordinal) && IsIdString(word.AsSpan(11));

    private static bool IsIdString(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty) return false;
        foreach (var c in s)
            if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '.') return false;
        return true;
    }

    private sealed class ExpressionParser(List<string> tokens)
    {
        public int Position { get; private set; }

        private string? Peek => Position < tokens.Count ? tokens[Position] : null;

        public bool ParseOr()
        {
            if (!ParseAnd()) return false;
            while (Peek == "OR")
            {
                Position++;
                if (!ParseAnd()) return false;
            }
            return true;
        }

        private bool ParseAnd()
        {
            if (!ParseWith()) return false;
            while (Peek == "AND")
            {
                Position++;
                if (!ParseWith()) return false;
            }
            return true;
        }

        private bool ParseWith()
        {
            if (!ParsePrimary()) return false;
            if (Peek != "WITH") return true;
            Position++;
            // an exception id: the embedded list does not separate exceptions from licenses, so any listed id passes
            if (Peek is not { } exception || CanonicalId(exception) is null) return false;
            Position++;
            return true;
        }

        private bool ParsePrimary()
        {
            switch (Peek)
            {
                case null or ")" or "AND" or "OR" or "WITH":
                    return false;
                case "(":
                    Position++;
                    if (!ParseOr() || Peek != ")") return false;
                    Position++;
                    return true;
                default:
                    Position++;
                    return true;
            }
        }
    }

    private static FrozenDictionary<string, string> LoadIds()
    {
        using var stream = typeof(SpdxLicenses).Assembly.GetManifestResourceStream("Bulwark.Sbom.Licenses.spdx.schema.json")
            ?? throw new InvalidOperationException("The embedded SPDX license list is missing from Bulwark.Sbom; rebuild the project.");
        using var doc = JsonDocument.Parse(stream);
        var ids = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var id in doc.RootElement.GetProperty("enum").EnumerateArray())
        {
            var s = id.GetString();
            if (!string.IsNullOrEmpty(s)) ids.TryAdd(s, s);
        }
        return ids.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }
}
