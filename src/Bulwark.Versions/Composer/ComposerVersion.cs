// SPDX-License-Identifier: Apache-2.0
using System.Text.RegularExpressions;

namespace Bulwark.Versions.Composer;

/// A Composer (Packagist) version: normalised as composer/semver's VersionParser::normalize ("v1.2" → "1.2.0.0",
/// "1.0-b2" → "1.0.0.0-beta2", "2.x-dev" → "2.9999999.9999999.9999999-dev", "dev-main" kept) and ordered as
/// Comparator does, by PHP's version_compare on the normalised strings: dev &lt; alpha &lt; beta &lt; RC &lt; stable &lt; patch.
public sealed partial class ComposerVersion : IComparable<ComposerVersion>, IComparable, IEquatable<ComposerVersion>
{
    private const string Scheme = "Packagist";

    private ComposerVersion(string text, string normalized)
    {
        Text = text;
        Normalized = normalized;
    }

    /// The text as given.
    public string Text { get; }

    /// composer/semver's normalised form; ToString returns it.
    public string Normalized { get; }

    /// A branch ("dev-main"): ordered before every numbered version, and among branches by name.
    public bool IsBranch => Normalized.StartsWith("dev-", StringComparison.Ordinal);

    public static ComposerVersion Parse(string text) =>
        TryParse(text, out var v) ? v : throw new InvalidVersionException(Scheme, text,
            "expected a version such as 1.2.3, v1.2.3-beta1, 1.0.x-dev, 20240101 or a dev-BRANCH name");

    public static bool TryParse(string text, out ComposerVersion version)
    {
        version = null!;
        if (text is null || text.Length > MaxLength) return false;
        var n = Normalize(text);
        if (n is null) return false;
        version = new ComposerVersion(text, n);
        return true;
    }

    /// Longer texts are refused before any pattern runs; published versions are a few dozen characters.
    internal const int MaxLength = 1024;

    // The patterns of VersionParser, matched with the non-backtracking engine (linear in the input);
    // composer/semver's possessive quantifiers only stop backtracking, which this engine never does.
    private const string Modifier = @"[._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\d+)*)?)?([.-]?dev)?";
    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking;
    private const RegexOptions CaseSensitive = RegexOptions.CultureInvariant | RegexOptions.NonBacktracking;

    [GeneratedRegex(@"^([^,\s]+) +as +([^,\s]+)$", CaseSensitive)]
    private static partial Regex Alias();

    [GeneratedRegex(@"@(?:stable|RC|beta|alpha|dev)$", Options)]
    private static partial Regex StabilityFlag();

    [GeneratedRegex(@"^([^,\s+]+)\+[^\s]+$", CaseSensitive)]
    private static partial Regex BuildMetadata();

    [GeneratedRegex(@"^v?([0-9]{1,5})(\.[0-9]+)?(\.[0-9]+)?(\.[0-9]+)?" + Modifier + "$", Options)]
    private static partial Regex Classical();

    [GeneratedRegex(@"^v?([0-9]{4}(?:[.:-]?[0-9]{2}){1,6}(?:[.:-]?[0-9]{1,3})?)" + Modifier + "$", Options)]
    private static partial Regex DateTime();

    [GeneratedRegex(@"^(.*?)[.-]?dev$", Options)]
    private static partial Regex DevSuffix();

    [GeneratedRegex(@"^v?([0-9]+)(\.(?:[0-9]+|[xX*]))?(\.(?:[0-9]+|[xX*]))?(\.(?:[0-9]+|[xX*]))?$", Options)]
    private static partial Regex NumericBranch();

    /// VersionParser::normalize; null where it throws UnexpectedValueException.
    internal static string? Normalize(string text)
    {
        var version = PhpTrim(text);
        if (version.Length == 0) return null;
        if (Alias().Match(version) is { Success: true } alias) version = alias.Groups[1].Value;
        if (StabilityFlag().Match(version) is { Success: true } flag) version = version[..^flag.Length];
        if (version is "master" or "trunk" or "default") version = "dev-" + version;
        if (version.StartsWith("dev-", StringComparison.OrdinalIgnoreCase)) return "dev-" + version[4..];
        if (BuildMetadata().Match(version) is { Success: true } build) version = build.Groups[1].Value;

        Match m;
        int index;
        if ((m = Classical().Match(version)).Success)
        {
            version = m.Groups[1].Value
                + (m.Groups[2].Length > 0 ? m.Groups[2].Value : ".0")
                + (m.Groups[3].Length > 0 ? m.Groups[3].Value : ".0")
                + (m.Groups[4].Length > 0 ? m.Groups[4].Value : ".0");
            index = 5;
        }
        else if ((m = DateTime().Match(version)).Success)
        {
            version = string.Concat(m.Groups[1].Value.Select(c => char.IsAsciiDigit(c) ? c : '.'));
            index = 2;
        }
        else
        {
            if (DevSuffix().Match(version) is { Success: true } dev)
            {
                var branch = NormalizeBranch(dev.Groups[1].Value);
                // "-dev" makes a branch only when numeric; anything else should have been written "dev-name"
                if (!branch.Contains("dev-", StringComparison.Ordinal)) return branch;
            }
            return null;
        }

        var stability = m.Groups[index].Value;
        if (stability.Length > 0)
        {
            if (stability == "stable") return version;
            var number = m.Groups[index + 1].Value.TrimStart('.', '-');
            version += "-" + ExpandStability(stability) + number;
        }
        if (m.Groups[index + 2].Length > 0) version += "-dev";
        return version;
    }

    private static string NormalizeBranch(string name)
    {
        name = PhpTrim(name);
        var m = NumericBranch().Match(name);
        if (!m.Success) return "dev-" + name;
        var version = "";
        for (var i = 1; i < 5; i++)
            version += m.Groups[i].Success && m.Groups[i].Length > 0 ? m.Groups[i].Value.Replace('*', 'x').Replace('X', 'x') : ".x";
        return version.Replace("x", "9999999", StringComparison.Ordinal) + "-dev";
    }

    // expandStability: lower-cased, short forms spelt out, "rc" written "RC"
    private static string ExpandStability(string s) => s.ToLowerInvariant() switch
    {
        "a" => "alpha",
        "b" => "beta",
        "p" or "pl" => "patch",
        "rc" => "RC",
        var lower => lower,
    };

    // PHP trim(): " \t\n\r\0\x0B"
    private static string PhpTrim(string s) => s.Trim(' ', '\t', '\n', '\r', '\0', '\v');

    /// version_compare on the normalised forms, which puts every branch before every version ("dev" against a number);
    /// Comparator never orders two branches, so here they go by name to keep the order total.
    public int CompareTo(ComposerVersion? other)
    {
        if (other is null) return 1;
        if (IsBranch && other.IsBranch) return Math.Sign(string.CompareOrdinal(Normalized, other.Normalized));
        if (Normalized.Length == 0 || other.Normalized.Length == 0) return PhpVersionCompare.Compare(Normalized, other.Normalized);
        return PhpVersionCompare.Compare(Parts, other.Parts);
    }

    private List<string>? _parts;

    /// The normalised form split as version_compare splits it, once per version (a range check compares one version
    /// with many bounds; splitting on every comparison was most of its time).
    private List<string> Parts => _parts ??= PhpVersionCompare.Parts(Normalized);

    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        ComposerVersion v => CompareTo(v),
        _ => throw new ArgumentException($"Cannot compare a Composer version with {obj.GetType().Name}.", nameof(obj)),
    };

    public bool Equals(ComposerVersion? other) => other is not null && CompareTo(other) == 0;
    public override bool Equals(object? obj) => obj is ComposerVersion v && Equals(v);
    public override int GetHashCode() => IsBranch ? StringComparer.Ordinal.GetHashCode(Normalized) : PhpVersionCompare.HashOf(Normalized);
    public override string ToString() => Normalized;

    public static bool operator ==(ComposerVersion? a, ComposerVersion? b) => a is null ? b is null : a.Equals(b);
    public static bool operator !=(ComposerVersion? a, ComposerVersion? b) => !(a == b);
    public static bool operator <(ComposerVersion a, ComposerVersion b) => a.CompareTo(b) < 0;
    public static bool operator >(ComposerVersion a, ComposerVersion b) => a.CompareTo(b) > 0;
    public static bool operator <=(ComposerVersion a, ComposerVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >=(ComposerVersion a, ComposerVersion b) => a.CompareTo(b) >= 0;
}
