// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Versions.Rpm;

/// An RPM [epoch:]version[-release], ordered as rpm 4.18 orders EVRs (rpmvercmp on each part, missing epoch = 0).
/// <remarks>
/// A missing release is the empty string, which sorts before any release (1.0 &lt; 1.0-1 &lt; 1.0-2), as rpm 4.18's
/// rpm.vercmp does (older rpm treated a missing release as matching any, which is not an order).
/// Accepted: epoch = decimal digits up to int.MaxValue (the part before the first ':'); version and release non-empty,
/// ASCII letters, digits and <c>. _ + ~ ^</c> (rpmbuild's set); the release is after the last '-'.
/// Equality (<c>==</c>) is textual identity; <see cref="CompareTo(RpmVersion)"/> is the order (1.0 = 1.00 = 0:1.0 = 1_0).
/// </remarks>
public readonly record struct RpmVersion : IComparable<RpmVersion>, IComparable
{
    private readonly string? _text;

    private RpmVersion(string text, int epoch, string version, string release) =>
        (_text, Epoch, Version, Release) = (text, epoch, version, release);

    /// The epoch; 0 when absent.
    public int Epoch { get; }

    /// The version part.
    public string Version { get => field ?? "0"; }

    /// The release after the last '-'; empty when absent.
    public string Release { get => field ?? ""; }

    /// The scheme for <see cref="VersionSchemes"/>.
    public static VersionScheme Scheme { get; } = VersionScheme.Of<RpmVersion>("RPM", Parse, TryParse);

    /// Parses or throws <see cref="InvalidVersionException"/> saying what is wrong.
    public static RpmVersion Parse(string text) =>
        TryParse(text, out var v, out var reason) ? v : throw new InvalidVersionException("RPM", text, reason);

    public static bool TryParse(string text, out RpmVersion version) => TryParse(text, out version, out _);

    private static bool TryParse(string? text, out RpmVersion version, out string? reason)
    {
        version = default;
        reason = null;
        if (string.IsNullOrEmpty(text)) { reason = "it is empty"; return false; }
        var epoch = 0;
        var rest = text.AsSpan();
        var colon = rest.IndexOf(':');
        if (colon >= 0)
        {
            var e = rest[..colon];
            if (e.Length == 0 || e.ContainsAnyExcept("0123456789"))
            {
                reason = "the epoch before ':' is not a number";
                return false;
            }
            if (!int.TryParse(e, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out epoch))
            {
                reason = "the epoch is too large";
                return false;
            }
            rest = rest[(colon + 1)..];
        }
        var dash = rest.LastIndexOf('-');
        var ver = dash >= 0 ? rest[..dash] : rest;
        var rel = dash >= 0 ? rest[(dash + 1)..] : [];
        if (ver.Length == 0) reason = "the version is empty";
        else if (dash >= 0 && rel.Length == 0) reason = "the release after the last '-' is empty";
        else if (Bad(ver) is { } b) reason = $"the version contains '{Debian.DebianVersion.Printable(b)}' (allowed: letters, digits and . _ + ~ ^)";
        else if (Bad(rel) is { } r) reason = $"the release contains '{Debian.DebianVersion.Printable(r)}' (allowed: letters, digits and . _ + ~ ^)";
        if (reason is not null) return false;
        version = new RpmVersion(text, epoch, ver.ToString(), rel.ToString());
        return true;
    }

    private static char? Bad(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '+' or '~' or '^')) return c;
        return null;
    }

    public int CompareTo(RpmVersion other) =>
        Epoch != other.Epoch ? Epoch.CompareTo(other.Epoch)
        : RpmOrder.Compare(Version, other.Version) is var c and not 0 ? c
        : RpmOrder.Compare(Release, other.Release);

    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        RpmVersion v => CompareTo(v),
        _ => throw new ArgumentException($"Cannot compare an RPM version with {obj.GetType().Name}.", nameof(obj)),
    };

    public static bool operator <(RpmVersion a, RpmVersion b) => a.CompareTo(b) < 0;
    public static bool operator >(RpmVersion a, RpmVersion b) => a.CompareTo(b) > 0;
    public static bool operator <=(RpmVersion a, RpmVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >=(RpmVersion a, RpmVersion b) => a.CompareTo(b) >= 0;

    /// The text as parsed.
    public override string ToString() => _text ?? "0";
}

/// rpmvercmp (rpm 4.18): alternating alphabetic and numeric segments, other characters separate them; a numeric segment
/// is newer than an alphabetic one; '~' sorts before everything (even the end), '^' after the end but before anything
/// else. Linear in the input length.
internal static class RpmOrder
{
    /// Compares two version (or release) strings; returns -1, 0 or 1.
    public static int Compare(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (a.SequenceEqual(b)) return 0;
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            while (i < a.Length && !char.IsAsciiLetterOrDigit(a[i]) && a[i] is not ('~' or '^')) i++;
            while (j < b.Length && !char.IsAsciiLetterOrDigit(b[j]) && b[j] is not ('~' or '^')) j++;
            char ca = i < a.Length ? a[i] : '\0', cb = j < b.Length ? b[j] : '\0';

            if (ca == '~' || cb == '~')
            {
                if (ca != '~') return 1;
                if (cb != '~') return -1;
                i++;
                j++;
                continue;
            }
            if (ca == '^' || cb == '^')
            {
                if (i >= a.Length) return -1;   // end before '^': 1.0 < 1.0^git1
                if (j >= b.Length) return 1;
                if (ca != '^') return 1;         // '^' before any other segment: 1.0^git1 < 1.0.1
                if (cb != '^') return -1;
                i++;
                j++;
                continue;
            }
            if (i >= a.Length || j >= b.Length) break;

            int si = i, sj = j;
            var numeric = char.IsAsciiDigit(ca);
            if (numeric)
            {
                while (i < a.Length && char.IsAsciiDigit(a[i])) i++;
                while (j < b.Length && char.IsAsciiDigit(b[j])) j++;
            }
            else
            {
                while (i < a.Length && char.IsAsciiLetter(a[i])) i++;
                while (j < b.Length && char.IsAsciiLetter(b[j])) j++;
            }
            // b's segment is of the other kind: numeric beats alphabetic
            if (j == sj) return numeric ? 1 : -1;

            var sa = a[si..i];
            var sb = b[sj..j];
            int rc;
            if (numeric)
            {
                sa = sa.TrimStart('0');
                sb = sb.TrimStart('0');
                rc = sa.Length != sb.Length ? sa.Length.CompareTo(sb.Length) : sa.SequenceCompareTo(sb);
            }
            else
            {
                rc = sa.SequenceCompareTo(sb);
            }
            if (rc != 0) return rc < 0 ? -1 : 1;
        }
        if (i >= a.Length && j >= b.Length) return 0;
        return i >= a.Length ? -1 : 1;
    }
}
