// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Core;

/// An SPDX license expression (SPDX 2.3 annex D), parsed into a tree and printed with the fewest parentheses.
/// Operators and ids are matched ignoring case; ids print as the license list spells them.
/// Precedence, tightest first: "+", WITH, AND, OR.
public abstract record LicenseExpression
{
    private const int MaxDepth = 64;
    private const int MaxTokens = 2000;

    /// Parses an expression; unknown license or exception ids are errors.
    public static LicenseExpression Parse(string text) =>
        TryParse(text, out var e, out var error) ? e : throw new FormatException($"'{text}' is not an SPDX license expression: {error}.");

    public static bool TryParse(string? text, out LicenseExpression expression) => TryParse(text, out expression, out _);

    public static bool TryParse(string? text, out LicenseExpression expression, out string error)
    {
        expression = null!;
        if (string.IsNullOrWhiteSpace(text)) { error = "it is empty"; return false; }
        var tokens = Tokenise(text);
        // the tree is as deep as the expression is long, and printing it recurses: bound it
        if (tokens.Count > MaxTokens) { error = $"it has more than {MaxTokens} parts"; return false; }
        var parser = new Parser(tokens);
        if (!parser.TryParseOr(0, out var result, out error)) return false;
        if (!parser.AtEnd) { error = $"unexpected '{parser.Current}'"; return false; }
        expression = result;
        return true;
    }

    /// Every LicenseRef (and DocumentRef:LicenseRef) the expression uses, in order of appearance.
    public IEnumerable<LicenseRef> LicenseRefs() => this switch
    {
        LicenseRef r => [r],
        WithException w => w.License.LicenseRefs(),
        AndExpression a => a.Left.LicenseRefs().Concat(a.Right.LicenseRefs()),
        OrExpression o => o.Left.LicenseRefs().Concat(o.Right.LicenseRefs()),
        _ => [],
    };

    /// Rebuilds the expression with each leaf (license id or LicenseRef) replaced.
    public LicenseExpression MapLeaves(Func<LicenseExpression, LicenseExpression> map) => this switch
    {
        WithException w => w with { License = w.License.MapLeaves(map) },
        AndExpression a => new AndExpression(a.Left.MapLeaves(map), a.Right.MapLeaves(map)),
        OrExpression o => new OrExpression(o.Left.MapLeaves(map), o.Right.MapLeaves(map)),
        _ => map(this),
    };

    public abstract override string ToString();

    private static List<string> Tokenise(string text)
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
            tokens.Add(text[start..i]);
        }
        return tokens;
    }

    private sealed class Parser(List<string> tokens)
    {
        private int _position;
        public bool AtEnd => _position >= tokens.Count;
        public string Current => AtEnd ? "end of text" : tokens[_position];

        private bool IsOperator(string name) => !AtEnd && tokens[_position].Equals(name, StringComparison.OrdinalIgnoreCase);

        public bool TryParseOr(int depth, out LicenseExpression result, out string error)
        {
            if (!TryParseAnd(depth, out result, out error)) return false;
            while (IsOperator("OR"))
            {
                _position++;
                if (!TryParseAnd(depth, out var right, out error)) return false;
                result = new OrExpression(result, right);
            }
            return true;
        }

        private bool TryParseAnd(int depth, out LicenseExpression result, out string error)
        {
            if (!TryParseWith(depth, out result, out error)) return false;
            while (IsOperator("AND"))
            {
                _position++;
                if (!TryParseWith(depth, out var right, out error)) return false;
                result = new AndExpression(result, right);
            }
            return true;
        }

        private bool TryParseWith(int depth, out LicenseExpression result, out string error)
        {
            if (!TryParsePrimary(depth, out result, out error)) return false;
            if (!IsOperator("WITH")) return true;
            if (result is not (LicenseId or LicenseRef)) { error = "WITH must follow a single license, not a parenthesised expression"; return false; }
            _position++;
            if (AtEnd) { error = "an exception id must follow WITH"; return false; }
            var id = tokens[_position++];
            if (!SpdxLicenseList.TryGetExceptionId(id, out var canonical)) { error = $"'{id}' is not an SPDX license exception id"; return false; }
            result = new WithException(result, canonical);
            return true;
        }

        private bool TryParsePrimary(int depth, out LicenseExpression result, out string error)
        {
            result = null!;
            error = "";
            if (AtEnd) { error = "a license is missing at the end"; return false; }
            var token = tokens[_position];
            if (token == "(")
            {
                if (depth >= MaxDepth) { error = $"parentheses are nested deeper than {MaxDepth}"; return false; }
                _position++;
                if (!TryParseOr(depth + 1, out result, out error)) return false;
                if (Current != ")") { error = $"expected ')' but found '{Current}'"; return false; }
                _position++;
                return true;
            }
            if (token == ")" || token.Equals("AND", StringComparison.OrdinalIgnoreCase) || token.Equals("OR", StringComparison.OrdinalIgnoreCase)
                || token.Equals("WITH", StringComparison.OrdinalIgnoreCase))
            {
                error = $"expected a license but found '{token}'";
                return false;
            }
            _position++;
            return TryParseSimple(token, out result, out error);
        }
    }

    /// license-id, license-id "+", or ["DocumentRef-" idstring ":"] "LicenseRef-" idstring.
    internal static bool TryParseSimple(string token, out LicenseExpression result, out string error)
    {
        result = null!;
        error = "";
        string? documentRef = null;
        var rest = token;
        if (rest.StartsWith("DocumentRef-", StringComparison.OrdinalIgnoreCase))
        {
            var colon = rest.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0 || !IsIdString(rest[12..colon])) { error = $"'{token}' is not of the form DocumentRef-<id>:LicenseRef-<id>"; return false; }
            documentRef = "DocumentRef-" + rest[12..colon];
            rest = rest[(colon + 1)..];
            if (!rest.StartsWith("LicenseRef-", StringComparison.OrdinalIgnoreCase)) { error = $"'{token}' must name a LicenseRef- after the DocumentRef"; return false; }
        }
        if (rest.StartsWith("LicenseRef-", StringComparison.OrdinalIgnoreCase))
        {
            if (!IsIdString(rest[11..])) { error = $"'{token}' may use only letters, digits, '.' and '-' after 'LicenseRef-'"; return false; }
            result = new LicenseRef("LicenseRef-" + rest[11..], documentRef);
            return true;
        }
        var orLater = rest.EndsWith('+');
        var id = orLater ? rest[..^1] : rest;
        if (!IsIdString(id)) { error = $"'{token}' is not a license id"; return false; }
        if (!SpdxLicenseList.TryGetLicenseId(id, out var canonical))
        {
            error = SpdxLicenseList.TryGetExceptionId(id, out _)
                ? $"'{id}' is a license exception and may only follow WITH"
                : $"'{id}' is not on the SPDX license list (use LicenseRef-… for other licenses)";
            return false;
        }
        result = new LicenseId(canonical, orLater);
        return true;
    }

    internal static bool IsIdString(string s) => s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-');
}

/// A license from the SPDX license list, optionally "or later" (the "+" operator).
public sealed record LicenseId(string Id, bool OrLater = false) : LicenseExpression
{
    public override string ToString() => OrLater ? Id + "+" : Id;
}

/// A license not on the list: "LicenseRef-x", or "DocumentRef-d:LicenseRef-x" when another document defines it.
public sealed record LicenseRef(string Ref, string? DocumentRef = null) : LicenseExpression
{
    public override string ToString() => DocumentRef is null ? Ref : $"{DocumentRef}:{Ref}";
}

/// A license with an exception from the SPDX exception list ("GPL-2.0-only WITH Classpath-exception-2.0").
public sealed record WithException(LicenseExpression License, string Exception) : LicenseExpression
{
    public override string ToString() => $"{License} WITH {Exception}";
}

/// Both licenses apply.
public sealed record AndExpression(LicenseExpression Left, LicenseExpression Right) : LicenseExpression
{
    public override string ToString() => $"{Operand(Left)} AND {Operand(Right)}";

    // OR binds looser than AND, so an OR operand needs parentheses; nothing else does
    private static string Operand(LicenseExpression e) => e is OrExpression ? $"({e})" : e.ToString();
}

/// Either license may be chosen.
public sealed record OrExpression(LicenseExpression Left, LicenseExpression Right) : LicenseExpression
{
    public override string ToString() => $"{Operand(Left)} OR {Operand(Right)}";

    // not needed by precedence, but "MIT OR (Apache-2.0 AND BSD-3-Clause)" is how people read and write it
    private static string Operand(LicenseExpression e) => e is AndExpression ? $"({e})" : e.ToString();
}
