// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Versions.Apk;

/// An Alpine package version, digit{.digit}...{letter}{_suffix{#}}...{~hash}{-r#}, ordered as current apk-tools
/// `apk version -t` does (the token_first/token_next version.c of apk-tools 3 and late 2.x).
/// <remarks>
/// Pre-release suffixes _alpha &lt; _beta &lt; _pre &lt; _rc sort before the plain release; _cvs &lt; _svn &lt; _git &lt; _hg &lt; _p
/// after it. When one version is a prefix of the other, the longer is newer unless it goes on with a pre-release suffix.
/// A dotted component that starts with '0' (on either side) is compared as text, as in Gentoo's rules: 1.01 &lt; 1.1,
/// 1.001 &lt; 1.01, 1.0 &lt; 1.00. Numbers are compared at any length (apk reads them into 64 bits).
/// Older apk-tools 2.x ranked a zero-led component by its count of zeros and, after one, put 1.0_rc1 above 1.0 (a
/// state-machine quirk); we follow the current tool. Anything apk rejects — an empty string, a leading letter, upper case, two
/// letters, an unknown suffix, "-1" instead of "-r1" — is an <see cref="InvalidVersionException"/>.
/// Equality (<c>==</c>) is textual identity; <see cref="CompareTo(ApkVersion)"/> is the order.
/// </remarks>
public readonly record struct ApkVersion : IComparable<ApkVersion>, IComparable
{
    private readonly string? _text;

    private ApkVersion(string text) => _text = text;

    /// The scheme for <see cref="VersionSchemes"/>.
    public static VersionScheme Scheme { get; } = VersionScheme.Of<ApkVersion>("Alpine", Parse, TryParse);

    /// Parses or throws <see cref="InvalidVersionException"/> saying where the version stops being valid.
    public static ApkVersion Parse(string text) =>
        TryParse(text, out var v, out var reason) ? v : throw new InvalidVersionException("Alpine", text, reason);

    public static bool TryParse(string text, out ApkVersion version) => TryParse(text, out version, out _);

    private static bool TryParse(string? text, out ApkVersion version, out string? reason)
    {
        version = default;
        if (string.IsNullOrEmpty(text)) { reason = "it is empty"; return false; }
        var r = new ApkTokenReader(text);
        while (r.Read(out var t))
        {
            if (t.Kind == ApkToken.End)
            {
                reason = null;
                version = new ApkVersion(text);
                return true;
            }
        }
        reason = $"unexpected text at offset {r.Position} (expected digit{{.digit}}...{{letter}}{{_suffix{{#}}}}...{{~hash}}{{-r#}})";
        return false;
    }

    public int CompareTo(ApkVersion other)
    {
        var a = new ApkTokenReader(_text ?? "0");
        var b = new ApkTokenReader(other._text ?? "0");
        a.Read(out var ta);
        b.Read(out var tb);
        while (ta.Kind == tb.Kind && ta.Kind < ApkToken.End)
        {
            var c = ApkTokenValue.Compare(ta, tb);
            if (c != 0) return c;
            a.Read(out ta);
            b.Read(out tb);
        }
        if (ta.Kind == tb.Kind) return 0;
        // the common part is equal: the longer one is newer, unless what follows is a pre-release suffix
        if (ta.Kind == ApkToken.Suffix && ta.Suffix < 0) return -1;
        if (tb.Kind == ApkToken.Suffix && tb.Suffix < 0) return 1;
        return ta.Kind > tb.Kind ? -1 : 1;
    }

    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        ApkVersion v => CompareTo(v),
        _ => throw new ArgumentException($"Cannot compare an Alpine version with {obj.GetType().Name}.", nameof(obj)),
    };

    public static bool operator <(ApkVersion a, ApkVersion b) => a.CompareTo(b) < 0;
    public static bool operator >(ApkVersion a, ApkVersion b) => a.CompareTo(b) > 0;
    public static bool operator <=(ApkVersion a, ApkVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >=(ApkVersion a, ApkVersion b) => a.CompareTo(b) >= 0;

    /// The text as parsed.
    public override string ToString() => _text ?? "0";
}

/// Token kinds in apk's order: each may only be followed by a later kind (digits and letters aside), and when one
/// version ends where the other goes on, the side whose next kind is later (End latest) is older.
internal enum ApkToken { InitialDigit, Digit, Letter, Suffix, SuffixNumber, CommitHash, RevisionNumber, End, Invalid }

/// One token: its kind, its text (digits, letter, suffix name or hash) and, for a suffix, its rank (pre-release &lt; 0).
internal readonly ref struct ApkTokenValue(ApkToken kind, ReadOnlySpan<char> text, int suffix = 0)
{
    public readonly ApkToken Kind = kind;
    public readonly ReadOnlySpan<char> Text = text;
    public readonly int Suffix = suffix;

    /// Compares two tokens of the same kind.
    public static int Compare(ApkTokenValue a, ApkTokenValue b)
    {
        switch (a.Kind)
        {
            case ApkToken.Digit when a.Text[0] == '0' || b.Text[0] == '0':
            case ApkToken.CommitHash:
                return Math.Sign(a.Text.SequenceCompareTo(b.Text));   // as text (Gentoo rule for zero-led components)
            case ApkToken.InitialDigit or ApkToken.Digit or ApkToken.SuffixNumber or ApkToken.RevisionNumber:
                var x = a.Text.TrimStart('0');
                var y = b.Text.TrimStart('0');
                return x.Length != y.Length ? x.Length.CompareTo(y.Length) : Math.Sign(x.SequenceCompareTo(y));
            case ApkToken.Suffix:
                return a.Suffix.CompareTo(b.Suffix);
            default:
                return a.Text[0].CompareTo(b.Text[0]);
        }
    }
}

/// Splits an apk version into tokens, checking each may follow the one before (linear time, no allocation).
internal ref struct ApkTokenReader(ReadOnlySpan<char> text)
{
    // pre-release suffixes rank -4..-1 (before the release), post-release 1..5
    private static readonly string[] Suffixes = ["alpha", "beta", "pre", "rc", "", "cvs", "svn", "git", "hg", "p"];
    private const int NoSuffix = 4;

    private readonly ReadOnlySpan<char> _text = text;
    private int _at;
    private ApkToken _last = ApkToken.Invalid;   // Invalid here means "nothing read yet"

    public readonly int Position => _at;

    /// Reads the next token; false once the text is invalid (and from then on).
    public bool Read(out ApkTokenValue token)
    {
        token = default;
        if (_last == ApkToken.End) { token = new ApkTokenValue(ApkToken.End, []); return true; }
        var previous = _last;
        _last = ApkToken.Invalid;
        if (previous == ApkToken.Invalid)
        {
            if (_at != 0) return false;
            return Digits(ApkToken.InitialDigit, out token);
        }
        if (_at == _text.Length)
        {
            _last = ApkToken.End;
            token = new ApkTokenValue(ApkToken.End, []);
            return true;
        }
        var c = _text[_at];
        switch (c)
        {
            case >= 'a' and <= 'z' when previous <= ApkToken.Digit:
                _last = ApkToken.Letter;
                token = new ApkTokenValue(ApkToken.Letter, _text.Slice(_at++, 1));
                return true;
            case '.' when previous <= ApkToken.Digit:
                _at++;
                return Digits(ApkToken.Digit, out token);
            case >= '0' and <= '9' when previous == ApkToken.Suffix:
                return Digits(ApkToken.SuffixNumber, out token);
            case '_' when previous <= ApkToken.SuffixNumber:
            {
                var start = ++_at;
                while (_at < _text.Length && _text[_at] is >= 'a' and <= 'z') _at++;
                var name = _text[start.._at];
                var rank = SuffixRank(name);
                if (rank < 0) { _at = start; return false; }
                _last = ApkToken.Suffix;
                token = new ApkTokenValue(ApkToken.Suffix, name, rank - NoSuffix);
                return true;
            }
            case '~' when previous < ApkToken.CommitHash:
            {
                var start = ++_at;
                while (_at < _text.Length && char.IsAsciiHexDigit(_text[_at])) _at++;
                if (_at == start) return false;
                _last = ApkToken.CommitHash;
                token = new ApkTokenValue(ApkToken.CommitHash, _text[start.._at]);
                return true;
            }
            case '-' when previous < ApkToken.RevisionNumber && _at + 1 < _text.Length && _text[_at + 1] == 'r':
                _at += 2;
                return Digits(ApkToken.RevisionNumber, out token);
            default:
                return false;
        }
    }

    private static int SuffixRank(ReadOnlySpan<char> name)
    {
        if (name.Length == 0) return -1;
        for (var k = 0; k < Suffixes.Length; k++)
            if (name.SequenceEqual(Suffixes[k])) return k;
        return -1;
    }

    private bool Digits(ApkToken kind, out ApkTokenValue token)
    {
        var start = _at;
        while (_at < _text.Length && char.IsAsciiDigit(_text[_at])) _at++;
        token = new ApkTokenValue(kind, _text[start.._at]);
        if (_at == start) return false;
        _last = kind;
        return true;
    }
}
