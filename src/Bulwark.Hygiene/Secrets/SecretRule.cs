// SPDX-License-Identifier: Apache-2.0
using System.Text.RegularExpressions;

namespace Bulwark.Hygiene.Secrets;

/// Says whether a keyword hit at [<paramref name="start"/>, <paramref name="end"/>) of a UTF-8 text may begin a match.
internal delegate bool KeywordGate(ReadOnlySpan<byte> text, int start, int end);

/// Where a rule found a secret in a text: the offset reported to the user, and the secret's own span.
public readonly record struct SecretSpan(int At, int Start, int Length);

/// One credential format: a regular expression run only near its keywords, and checks that cut false alarms.
/// <remarks>
/// Speed comes from the keywords: a file is searched once for every rule's keywords (case-insensitive), and a rule's
/// expression runs only in windows around its keywords' hits (<see cref="Before"/> characters before a hit,
/// <see cref="After"/> after it). Every expression is compiled with <see cref="RegexOptions.NonBacktracking"/>, so it
/// runs in time linear in the window, and every quantifier is bounded, so a match is bounded too. The secret is the
/// named group "secret" (the whole match when there is none).
/// </remarks>
public sealed class SecretRule
{
    /// How long a rule's expression may run on one window before the file is recorded as not fully scanned.
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(2);

    private const RegexOptions Options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;

    // compiled on first use: building 200 NonBacktracking automata up front costs half a CPU second at every start,
    // and most runs need a few of them
    private readonly Lazy<(Regex Pattern, int SecretGroup)> _compiled;

    public SecretRule(string id, string description, string pattern, IReadOnlyList<string> keywords)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        ArgumentNullException.ThrowIfNull(keywords);
        if (keywords.Count == 0) throw new ArgumentException($"Rule {id} has no keywords: every rule needs a prefilter.", nameof(keywords));
        Id = id;
        Description = description;
        Keywords = keywords;
        PatternText = pattern;
        _compiled = new Lazy<(Regex, int)>(() =>
        {
            var regex = new Regex(pattern, Options, MatchTimeout);
            return (regex, regex.GroupNumberFromName("secret"));
        }, LazyThreadSafetyMode.ExecutionAndPublication);
        (LiteralPrefix, BoundaryBefore) = LeadingLiteral(pattern);
    }

    /// Stable identifier, e.g. "github-personal-access-token"; used in reports, baselines and config.
    public string Id { get; }
    public string Description { get; }
    /// Literal strings, matched case-insensitively, at least one of which is near every match.
    public IReadOnlyList<string> Keywords { get; }
    /// The expression (compiled the first time it is needed; an invalid pattern throws then).
    public Regex Pattern => _compiled.Value.Pattern;
    /// The expression's source text.
    public string PatternText { get; }
    /// Characters before a keyword hit where a match may start.
    public int Before { get; init; } = 64;
    /// Characters after a keyword hit where a match may end.
    public int After { get; init; } = 512;
    /// A check of the secret's own structure (checksum, decoding); false drops the candidate.
    public Func<string, bool>? Validate { get; init; }
    /// Minimum Shannon entropy of the secret in bits per character (0: not checked).
    public double MinEntropy { get; init; }
    /// Finds the secret for a match when it is not simply a group (a PEM block's body); null drops the match.
    public Func<string, Match, SecretSpan?>? Locate { get; init; }

    /// A cheap check of a keyword hit's surroundings (in the UTF-8 text) that every match through this hit needs: a
    /// hit it rejects opens no window. It must never reject a hit a match could use (it prunes work, not results).
    internal KeywordGate? Gate { get; init; }

    /// The case-sensitive text every match starts with (from the pattern: an optional \b and (?&lt;secret&gt;, then
    /// literal characters), or null; a keyword hit that is a prefix of it must be followed by the rest of it.
    internal string? LiteralPrefix { get; }
    /// The pattern starts with \b before <see cref="LiteralPrefix"/>.
    internal bool BoundaryBefore { get; }

    /// The literal a pattern starts with, read up to its first metacharacter ("" when there is none; null for a
    /// case-insensitive pattern). A character followed by a quantifier is not part of it.
    internal static (string? Literal, bool Boundary) LeadingLiteral(string pattern)
    {
        var p = pattern.AsSpan();
        if (p.StartsWith("(?i)", StringComparison.Ordinal)) return (null, false);
        var boundary = p.StartsWith(@"\b", StringComparison.Ordinal);
        if (boundary) p = p[2..];
        var inGroup = p.StartsWith("(?<secret>", StringComparison.Ordinal);
        if (inGroup) p = p["(?<secret>".Length..];
        // an alternation at the literal's own level ("abc|def") means matches need not start with it
        if (HasAlternation(p, stopAtClose: inGroup)) return ("", boundary);
        var literal = new System.Text.StringBuilder();
        var i = 0;
        while (i < p.Length)
        {
            char c;
            int width;
            if (p[i] == '\\')
            {
                if (i + 1 >= p.Length || char.IsAsciiLetterOrDigit(p[i + 1])) break; // \b, \s, \d, \1: not literal
                c = p[i + 1];
                width = 2;
            }
            else if ("[](){}*+?|^$.#".Contains(p[i], StringComparison.Ordinal) || char.IsWhiteSpace(p[i]))
            {
                break;
            }
            else
            {
                c = p[i];
                width = 1;
            }
            if (i + width < p.Length && p[i + width] is '?' or '*' or '+' or '{') break;
            literal.Append(c);
            i += width;
        }
        return (literal.ToString(), boundary);
    }

    // a '|' at depth 0 of the pattern (to its end, or to the ')' that closes the group it is in)
    private static bool HasAlternation(ReadOnlySpan<char> p, bool stopAtClose)
    {
        var depth = 0;
        var inClass = false;
        for (var i = 0; i < p.Length; i++)
        {
            var c = p[i];
            if (c == '\\') { i++; continue; }
            if (inClass) { if (c == ']') inClass = false; continue; }
            switch (c)
            {
                case '[': inClass = true; break;
                case '(': depth++; break;
                case ')':
                    if (depth == 0 && stopAtClose) return false;
                    depth--;
                    break;
                case '|' when depth == 0: return true;
            }
        }
        return false;
    }

    /// The span of the secret a match found, or null when the rule's own checks reject it.
    internal SecretSpan? SpanOf(string text, Match match)
    {
        if (Locate is { } locate) return locate(text, match);
        var secretGroup = _compiled.Value.SecretGroup;
        if (secretGroup >= 0 && match.Groups[secretGroup] is { Success: true } g) return new SecretSpan(g.Index, g.Index, g.Length);
        return new SecretSpan(match.Index, match.Index, match.Length);
    }

    public override string ToString() => Id;
}
