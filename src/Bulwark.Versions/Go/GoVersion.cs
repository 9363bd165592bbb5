// SPDX-License-Identifier: Apache-2.0
using Bulwark.Versions.Semver;

namespace Bulwark.Versions.Go;

/// A Go module version: SemVer with a "v" (optional here, because OSV's Go ranges omit it), ordered as
/// golang.org/x/mod/semver.Compare orders it. Pseudo-versions need no special rule: their form
/// (vX.0.0-yyyymmddhhmmss-rev, vX.Y.Z-pre.0.yyyymmddhhmmss-rev, vX.Y.(Z+1)-0.yyyymmddhhmmss-rev) already sorts them
/// by SemVer precedence. "+incompatible" is build metadata and so ignored in comparisons, as Go ignores it.
/// Go's shorthand "v1" and "v1.2" mean v1.0.0 and v1.2.0. Equals agrees with CompareTo.
public readonly record struct GoVersion : IComparable<GoVersion>, IComparable
{
    private GoVersion(SemVersion semver, bool hasV, int parts)
    {
        SemVer = semver;
        HasV = hasV;
        Parts = parts;
    }

    /// The version as SemVer (without the "v").
    public SemVersion SemVer { get; }

    /// Whether the text had the "v" Go requires (OSV Go data leaves it out).
    public bool HasV { get; }

    private int Parts { get; }

    /// Marks a v2+ module version of a module without a go.mod.
    public bool IsIncompatible => SemVer.Build == "incompatible";

    /// Whether this is a pseudo-version (a commit without a tag), as golang.org/x/mod/module.IsPseudoVersion decides.
    public bool IsPseudo => PseudoParts(out _, out _);

    /// The pseudo-version's commit time as written (yyyymmddhhmmss), or null.
    public string? PseudoTimestamp => PseudoParts(out var t, out _) ? t : null;

    /// The pseudo-version's revision (the 12-character commit hash prefix), or null.
    public string? PseudoRevision => PseudoParts(out _, out var r) ? r : null;

    public static GoVersion Parse(string text) =>
        TryParse(text, out var v, out var reason) ? v : throw new InvalidVersionException("Go", text, reason);

    public static bool TryParse(string text, out GoVersion version) => TryParse(text, out version, out _);

    private static bool TryParse(string? text, out GoVersion version, out string? reason)
    {
        version = default;
        reason = null;
        if (string.IsNullOrEmpty(text)) { reason = "no text"; return false; }
        var hasV = text[0] == 'v';
        var body = hasV ? text[1..] : text;
        // Go's shorthand: "v1" and "v1.2" with nothing after them; anything with a pre-release or build needs all three
        var dots = 0;
        var plain = true;
        foreach (var c in body)
        {
            if (c == '.') dots++;
            else if (!char.IsAsciiDigit(c)) { plain = false; break; }
        }
        var styles = plain && dots < 2 ? SemVersionStyles.MissingParts : SemVersionStyles.Strict;
        if (!SemVersion.TryParse(body, styles, out var semver))
        {
            reason = "expected vMAJOR[.MINOR[.PATCH[-PRERELEASE][+BUILD]]] without leading zeros";
            return false;
        }
        version = new GoVersion(semver, hasV, plain ? dots + 1 : 3);
        return true;
    }

    private bool PseudoParts(out string? timestamp, out string? revision)
    {
        timestamp = revision = null;
        var pre = SemVer.Prerelease;
        var dash = pre.LastIndexOf('-');
        if (dash < 14) return false;
        var rev = pre.AsSpan(dash + 1);
        if (rev.Length == 0) return false;
        foreach (var c in rev) if (!char.IsAsciiLetterOrDigit(c)) return false;
        var ts = pre.AsSpan(dash - 14, 14);
        if (!SemVersion.IsNumeric(ts)) return false;
        var prefix = pre.AsSpan(0, dash - 14);
        var ok = prefix.Length == 0
            ? SemVer.Minor == 0 && SemVer.Patch == 0                                        // vX.0.0-yyyymmddhhmmss-rev
            : prefix is "0." || prefix.EndsWith(".0.", StringComparison.Ordinal);      // vX.Y.Z-pre.0.… or vX.Y.(Z+1)-0.…
        if (!ok) return false;
        timestamp = ts.ToString();
        revision = rev.ToString();
        return true;
    }

    public int CompareTo(GoVersion other) => SemVer.CompareTo(other.SemVer);

    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        GoVersion v => CompareTo(v),
        _ => throw new ArgumentException($"Cannot compare a Go version with {obj.GetType().Name}.", nameof(obj)),
    };

    public bool Equals(GoVersion other) => CompareTo(other) == 0;

    public override int GetHashCode() => SemVer.GetHashCode();

    /// The version as Go writes it: with "v" and as given ("v1.2" stays "v1.2").
    public override string ToString() =>
        "v" + (Parts switch { 1 => $"{SemVer.Major}", 2 => $"{SemVer.Major}.{SemVer.Minor}", _ => SemVer.ToString() });

    public static bool operator <(GoVersion a, GoVersion b) => a.CompareTo(b) < 0;
    public static bool operator >(GoVersion a, GoVersion b) => a.CompareTo(b) > 0;
    public static bool operator <=(GoVersion a, GoVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >=(GoVersion a, GoVersion b) => a.CompareTo(b) >= 0;
}
