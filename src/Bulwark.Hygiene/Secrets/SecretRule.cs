// SPDX-License-Identifier: Apache-2.0
using System.Text.RegularExpressions;

namespace Bulwark.Hygiene.Secrets;

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

    private readonly int _secretGroup;

    public SecretRule(string id, string description, string pattern, IReadOnlyList<string> keywords)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        ArgumentNullException.ThrowIfNull(keywords);
        if (keywords.Count == 0) throw new ArgumentException($"Rule {id} has no keywords: every rule needs a prefilter.", nameof(keywords));
        Id = id;
        Description = description;
        Keywords = keywords;
        Pattern = new Regex(pattern, Options, MatchTimeout);
        _secretGroup = Pattern.GroupNumberFromName("secret");
    }

    /// Stable identifier, e.g. "github-personal-access-token"; used in reports, baselines and config.
    public string Id { get; }
    public string Description { get; }
    /// Literal strings, matched case-insensitively, at least one of which is near every match.
    public IReadOnlyList<string> Keywords { get; }
    public Regex Pattern { get; }
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

    /// The span of the secret a match found, or null when the rule's own checks reject it.
    internal SecretSpan? SpanOf(string text, Match match)
    {
        if (Locate is { } locate) return locate(text, match);
        if (_secretGroup >= 0 && match.Groups[_secretGroup] is { Success: true } g) return new SecretSpan(g.Index, g.Index, g.Length);
        return new SecretSpan(match.Index, match.Index, match.Length);
    }

    public override string ToString() => Id;
}
