// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Versions.Semver;

/// What a SemVer parse tolerates beyond SemVer 2.0.0 itself.
[Flags]
public enum SemVersionStyles
{
    /// Exactly semver.org 2.0.0: MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD], no leading zeros, no prefix.
    Strict = 0,
    /// A single leading "v" or "V" (node-semver's default mode, Go).
    LeadingV = 1,
    /// node-semver's loose mode: surrounding whitespace and any run of "v", "=" and spaces before the version,
    /// leading zeros in numbers, and a pre-release without its "-" ("1.2.3beta").
    Loose = 2,
    /// Missing minor or patch read as 0 ("1" = "1.0.0", "v1.2" = "v1.2.0"): OSV's "introduced: 0", Go's shorthand.
    MissingParts = 4,
    /// What OSV SEMVER data and ecosystem metadata need: everything above.
    Lenient = LeadingV | Loose | MissingParts,
}

/// A SemVer 2.0.0 version, ordered by precedence (semver.org §11): build metadata is ignored, so two versions that
/// differ only in build metadata are equal (Equals agrees with CompareTo); <see cref="ToString"/> keeps the build.
public readonly record struct SemVersion : IComparable<SemVersion>, IComparable
{
    private readonly string? _prerelease;
    private readonly string? _build;

    public SemVersion(ulong major, ulong minor, ulong patch, string prerelease = "", string build = "")
    {
        Major = major;
        Minor = minor;
        Patch = patch;
        _prerelease = prerelease;
        _build = build;
    }

    public ulong Major { get; }
    public ulong Minor { get; }
    public ulong Patch { get; }

    /// Dot-separated pre-release identifiers without the leading "-", or "".
    public string Prerelease => _prerelease ?? "";

    /// Dot-separated build identifiers without the leading "+", or "" (ignored for ordering).
    public string Build => _build ?? "";

    public bool IsPrerelease => Prerelease.Length > 0;

    /// Parses strict SemVer 2.0.0 or throws <see cref="InvalidVersionException"/>.
    public static SemVersion Parse(string text) => Parse(text, SemVersionStyles.Strict);

    public static SemVersion Parse(string text, SemVersionStyles styles) =>
        TryParse(text, styles, out var v, out var reason) ? v : throw new InvalidVersionException("SemVer", text, reason);

    public static bool TryParse(string text, out SemVersion version) => TryParse(text, SemVersionStyles.Strict, out version, out _);

    public static bool TryParse(string text, SemVersionStyles styles, out SemVersion version) => TryParse(text, styles, out version, out _);

    /// Parses SemVer with <see cref="SemVersionStyles.Lenient"/>: the registered OSV scheme for SEMVER ecosystems.
    public static SemVersion ParseLenient(string text) => Parse(text, SemVersionStyles.Lenient);

    public static bool TryParseLenient(string text, out SemVersion version) => TryParse(text, SemVersionStyles.Lenient, out version, out _);

    private static bool TryParse(string? text, SemVersionStyles styles, out SemVersion version, out string? reason)
    {
        version = default;
        reason = null;
        if (text is null) { reason = "no text"; return false; }
        var s = text.AsSpan();
        var loose = (styles & SemVersionStyles.Loose) != 0;
        if (loose)
        {
            s = s.Trim();
            var i = 0;
            while (i < s.Length && (s[i] is 'v' or 'V' or '=' || char.IsWhiteSpace(s[i]))) i++;
            s = s[i..];
        }
        else if ((styles & SemVersionStyles.LeadingV) != 0 && s.Length > 0 && s[0] is 'v' or 'V')
        {
            s = s[1..];
        }

        var pos = 0;
        if (!ReadNumber(s, ref pos, loose, out var major, out reason)) return false;
        ulong minor = 0, patch = 0;
        var parts = 1;
        if (pos < s.Length && s[pos] == '.')
        {
            pos++;
            if (!ReadNumber(s, ref pos, loose, out minor, out reason)) return false;
            parts = 2;
            if (pos < s.Length && s[pos] == '.')
            {
                pos++;
                if (!ReadNumber(s, ref pos, loose, out patch, out reason)) return false;
                parts = 3;
            }
        }
        if (parts < 3 && (styles & SemVersionStyles.MissingParts) == 0)
        {
            reason = "expected MAJOR.MINOR.PATCH";
            return false;
        }

        var pre = "";
        var build = "";
        if (pos < s.Length && (s[pos] == '-' || (loose && parts == 3 && IsIdentifierChar(s[pos]))))
        {
            if (parts < 3) { reason = "a pre-release needs MAJOR.MINOR.PATCH"; return false; }
            if (s[pos] == '-') pos++;
            var start = pos;
            while (pos < s.Length && s[pos] != '+') pos++;
            if (!CheckIdentifiers(s[start..pos], numericNoLeadingZero: !loose, out reason)) return false;
            pre = loose ? TrimNumericZeros(s[start..pos]) : s[start..pos].ToString();
        }
        if (pos < s.Length && s[pos] == '+')
        {
            pos++;
            if (!CheckIdentifiers(s[pos..], numericNoLeadingZero: false, out reason)) return false;
            build = s[pos..].ToString();
            pos = s.Length;
        }
        if (pos != s.Length)
        {
            reason = $"unexpected '{s[pos]}' at position {pos + 1}";
            return false;
        }
        version = new SemVersion(major, minor, patch, pre, build);
        return true;
    }

    private static bool ReadNumber(ReadOnlySpan<char> s, ref int pos, bool allowLeadingZero, out ulong value, out string? reason)
    {
        value = 0;
        reason = null;
        var start = pos;
        while (pos < s.Length && char.IsAsciiDigit(s[pos]))
        {
            var d = (ulong)(s[pos] - '0');
            if (value > (ulong.MaxValue - d) / 10) { reason = "a version number is too large"; return false; }
            value = value * 10 + d;
            pos++;
        }
        if (pos == start) { reason = "expected a number"; return false; }
        if (!allowLeadingZero && pos - start > 1 && s[start] == '0') { reason = "numbers must not have leading zeros"; return false; }
        return true;
    }

    internal static bool IsIdentifierChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '-';

    private static bool CheckIdentifiers(ReadOnlySpan<char> s, bool numericNoLeadingZero, out string? reason)
    {
        reason = null;
        var start = 0;
        for (var i = 0; i <= s.Length; i++)
        {
            if (i < s.Length && s[i] != '.')
            {
                if (!IsIdentifierChar(s[i])) { reason = $"'{s[i]}' is not allowed in an identifier"; return false; }
                continue;
            }
            var id = s[start..i];
            if (id.Length == 0) { reason = "empty identifier"; return false; }
            if (numericNoLeadingZero && id.Length > 1 && id[0] == '0' && IsNumeric(id))
            {
                reason = "numeric pre-release identifiers must not have leading zeros";
                return false;
            }
            start = i + 1;
        }
        return true;
    }

    // node-semver's loose mode reads "1.2.3-01" as the number 1, and writes it back as "1.2.3-1"
    private static string TrimNumericZeros(ReadOnlySpan<char> pre)
    {
        var sb = new System.Text.StringBuilder(pre.Length);
        foreach (var range in pre.Split('.'))
        {
            var id = pre[range];
            if (sb.Length > 0) sb.Append('.');
            if (IsNumeric(id) && id.Length > 1 && id[0] == '0')
            {
                var t = id.TrimStart('0');
                sb.Append(t.IsEmpty ? "0" : t);
            }
            else sb.Append(id);
        }
        return sb.ToString();
    }

    internal static bool IsNumeric(ReadOnlySpan<char> id)
    {
        foreach (var c in id) if (!char.IsAsciiDigit(c)) return false;
        return id.Length > 0;
    }

    /// SemVer precedence (§11): MAJOR, MINOR, PATCH numerically; a pre-release sorts before its release; then
    /// identifiers left to right, numeric ones numerically and before alphanumeric ones, shorter list first.
    public int CompareTo(SemVersion other) =>
        Major != other.Major ? Major.CompareTo(other.Major)
        : Minor != other.Minor ? Minor.CompareTo(other.Minor)
        : Patch != other.Patch ? Patch.CompareTo(other.Patch)
        : ComparePrerelease(Prerelease, other.Prerelease);

    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        SemVersion v => CompareTo(v),
        _ => throw new ArgumentException($"Cannot compare a SemVer version with {obj.GetType().Name}.", nameof(obj)),
    };

    public bool Equals(SemVersion other) => CompareTo(other) == 0;

    public override int GetHashCode() => HashCode.Combine(Major, Minor, Patch, PrereleaseHash(Prerelease));

    /// The version without build metadata ("1.2.3-rc.1").
    public string ToStringWithoutBuild() =>
        $"{Major}.{Minor}.{Patch}{(IsPrerelease ? "-" + Prerelease : "")}";

    public override string ToString() => ToStringWithoutBuild() + (Build.Length > 0 ? "+" + Build : "");

    public static bool operator <(SemVersion a, SemVersion b) => a.CompareTo(b) < 0;
    public static bool operator >(SemVersion a, SemVersion b) => a.CompareTo(b) > 0;
    public static bool operator <=(SemVersion a, SemVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >=(SemVersion a, SemVersion b) => a.CompareTo(b) >= 0;

    /// Compares pre-release strings identifier by identifier in one pass (linear in their length).
    internal static int ComparePrerelease(string a, string b)
    {
        if (a.Length == 0 || b.Length == 0) return a.Length == 0 ? (b.Length == 0 ? 0 : 1) : -1;
        int i = 0, j = 0;
        while (true)
        {
            if (i > a.Length && j > b.Length) return 0;
            if (i > a.Length) return -1;   // fewer identifiers sort first
            if (j > b.Length) return 1;
            var ea = a.IndexOf('.', i); if (ea < 0) ea = a.Length;
            var eb = b.IndexOf('.', j); if (eb < 0) eb = b.Length;
            var c = CompareIdentifier(a.AsSpan(i, ea - i), b.AsSpan(j, eb - j));
            if (c != 0) return c;
            i = ea + 1;
            j = eb + 1;
        }
    }

    internal static int CompareIdentifier(ReadOnlySpan<char> x, ReadOnlySpan<char> y)
    {
        var nx = IsNumeric(x);
        var ny = IsNumeric(y);
        if (nx && ny) return CompareDigits(x, y);
        if (nx) return -1;
        if (ny) return 1;
        return Math.Sign(x.SequenceCompareTo(y));   // ASCII order, as §11 says
    }

    /// Compares two runs of ASCII digits as numbers of any size (leading zeros ignored).
    internal static int CompareDigits(ReadOnlySpan<char> x, ReadOnlySpan<char> y)
    {
        x = x.TrimStart('0');
        y = y.TrimStart('0');
        return x.Length != y.Length ? x.Length.CompareTo(y.Length) : Math.Sign(x.SequenceCompareTo(y));
    }

    private static int PrereleaseHash(string pre)
    {
        var h = new HashCode();
        foreach (var range in pre.AsSpan().Split('.'))
        {
            var id = pre.AsSpan()[range];
            h.Add(string.GetHashCode(IsNumeric(id) ? id.TrimStart('0') : id, StringComparison.Ordinal));
        }
        return h.ToHashCode();
    }
}
