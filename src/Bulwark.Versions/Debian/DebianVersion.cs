// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Versions.Debian;

/// A dpkg version, [epoch:]upstream[-revision], ordered as in Debian Policy §5.6.12 (what `dpkg --compare-versions` does).
/// <remarks>
/// Validation follows dpkg's parser rather than the letter of the policy, so that real archive and advisory data parses:
/// the epoch is a decimal number up to int.MaxValue; upstream is non-empty ASCII letters, digits and <c>. + ~ - :</c>;
/// the revision (after the last '-') is non-empty letters, digits and <c>. + ~</c>. An upstream that does not start with
/// a digit is ACCEPTED (dpkg only warns; Ubuntu and Debian data contain such versions) and ordered by the same rules,
/// which keeps the order total. Whitespace, control and non-ASCII characters are rejected.
/// Equality (<c>==</c>) is textual identity; use <see cref="CompareTo(DebianVersion)"/> for order, in which 1.0 = 1.00 = 0:1.0 = 1.0-0.
/// </remarks>
public readonly record struct DebianVersion : IComparable<DebianVersion>, IComparable
{
    private readonly string? _text;

    private DebianVersion(string text, int epoch, string upstream, string revision) =>
        (_text, Epoch, Upstream, Revision) = (text, epoch, upstream, revision);

    /// The epoch; 0 when absent.
    public int Epoch { get; }

    /// The upstream version (between the epoch's ':' and the last '-').
    public string Upstream { get => field ?? "0"; }

    /// The Debian revision after the last '-'; empty when absent (ordered like "0").
    public string Revision { get => field ?? ""; }

    /// The scheme for <see cref="VersionSchemes"/>.
    public static VersionScheme Scheme { get; } = VersionScheme.Of<DebianVersion>("Debian", Parse, TryParse);

    /// Parses or throws <see cref="InvalidVersionException"/> saying what is wrong.
    public static DebianVersion Parse(string text) =>
        TryParse(text, out var v, out var reason) ? v : throw new InvalidVersionException("Debian", text, reason);

    public static bool TryParse(string text, out DebianVersion version) => TryParse(text, out version, out _);

    private static bool TryParse(string? text, out DebianVersion version, out string? reason)
    {
        version = default;
        if (string.IsNullOrEmpty(text)) return Fail("it is empty", out reason);
        var epoch = 0;
        var rest = text.AsSpan();
        var colon = rest.IndexOf(':');
        if (colon >= 0)
        {
            var e = rest[..colon];
            if (e.Length == 0) return Fail("the epoch before ':' is empty", out reason);
            foreach (var c in e)
                if (!char.IsAsciiDigit(c)) return Fail("the epoch before ':' is not a number", out reason);
            if (!int.TryParse(e, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out epoch))
                return Fail("the epoch is too large", out reason);
            rest = rest[(colon + 1)..];
        }
        var dash = rest.LastIndexOf('-');
        var upstream = dash >= 0 ? rest[..dash] : rest;
        var revision = dash >= 0 ? rest[(dash + 1)..] : [];
        if (upstream.Length == 0) return Fail("the upstream version is empty", out reason);
        if (dash >= 0 && revision.Length == 0) return Fail("the revision after the last '-' is empty", out reason);
        foreach (var c in upstream)
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '+' or '~' or '-' or ':'))
                return Fail($"the upstream version contains '{Printable(c)}' (allowed: letters, digits and . + ~ - :)", out reason);
        foreach (var c in revision)
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '+' or '~'))
                return Fail($"the revision contains '{Printable(c)}' (allowed: letters, digits and . + ~)", out reason);
        version = new DebianVersion(text, epoch, upstream.ToString(), revision.ToString());
        reason = null;
        return true;
    }

    private static bool Fail(string why, out string? reason)
    {
        reason = why;
        return false;
    }

    internal static string Printable(char c) => c is >= ' ' and < (char)127 ? c.ToString() : $"\\u{(int)c:X4}";

    public int CompareTo(DebianVersion other) =>
        Epoch != other.Epoch ? Epoch.CompareTo(other.Epoch)
        : DebianOrder.Compare(Upstream, other.Upstream) is var c and not 0 ? c
        : DebianOrder.Compare(Revision, other.Revision);

    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        DebianVersion v => CompareTo(v),
        _ => throw new ArgumentException($"Cannot compare a Debian version with {obj.GetType().Name}.", nameof(obj)),
    };

    public static bool operator <(DebianVersion a, DebianVersion b) => a.CompareTo(b) < 0;
    public static bool operator >(DebianVersion a, DebianVersion b) => a.CompareTo(b) > 0;
    public static bool operator <=(DebianVersion a, DebianVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >=(DebianVersion a, DebianVersion b) => a.CompareTo(b) >= 0;

    /// The text as parsed.
    public override string ToString() => _text ?? "0";
}

/// Debian Policy §5.6.12 string comparison, used for both upstream version and revision. Linear in the input length.
internal static class DebianOrder
{
    // '~' sorts before everything, even the end of the string; then end/digit; then letters; then all other characters.
    private static int Weight(ReadOnlySpan<char> s, int i) =>
        i >= s.Length ? 0
        : s[i] == '~' ? -1
        : char.IsAsciiDigit(s[i]) ? 0
        : char.IsAsciiLetter(s[i]) ? s[i]
        : s[i] + 256;

    public static int Compare(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            // the non-digit prefix, character by character
            while ((i < a.Length && !char.IsAsciiDigit(a[i])) || (j < b.Length && !char.IsAsciiDigit(b[j])))
            {
                int wa = Weight(a, i), wb = Weight(b, j);
                if (wa != wb) return wa < wb ? -1 : 1;
                i++;
                j++;
            }
            // the digit run, numerically (no overflow: leading zeros skipped, then longer is larger, then first difference)
            while (i < a.Length && a[i] == '0') i++;
            while (j < b.Length && b[j] == '0') j++;
            var firstDifference = 0;
            while (i < a.Length && char.IsAsciiDigit(a[i]) && j < b.Length && char.IsAsciiDigit(b[j]))
            {
                if (firstDifference == 0) firstDifference = a[i].CompareTo(b[j]);
                i++;
                j++;
            }
            if (i < a.Length && char.IsAsciiDigit(a[i])) return 1;
            if (j < b.Length && char.IsAsciiDigit(b[j])) return -1;
            if (firstDifference != 0) return Math.Sign(firstDifference);
        }
        return 0;
    }
}
