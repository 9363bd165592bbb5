// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Versions.Apk;

/// An Alpine (apk-tools 2.x) package version, digit{.digit}...{letter}{_suffix{#}}...{-r#}, ordered as `apk version -t` does.
/// <remarks>
/// Pre-release suffixes _alpha &lt; _beta &lt; _pre &lt; _rc sort before the plain release; _cvs &lt; _svn &lt; _git &lt; _hg &lt; _p
/// after it. A component after a '.' that starts with '0' is compared as apk does, by its count of leading zeros
/// (1.01 &lt; 1.1, 1.001 &lt; 1.01, 1.00 &lt; 1.0), not numerically. Validation is apk's own state machine with two stricter rules:
/// the version must start with a digit (apk-tools 3 rule; 2.x accepted "" and "a") and must not contain NUL (apk stops
/// there). Anything else apk rejects — upper case, two letters, unknown suffixes, "-1" instead of "-r1" — is an
/// <see cref="InvalidVersionException"/>. Equality (<c>==</c>) is textual identity; <see cref="CompareTo(ApkVersion)"/> is the order.
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
        if (!char.IsAsciiDigit(text[0])) { reason = "it must start with a digit"; return false; }
        var r = new ApkTokenReader(text);
        while (r.Next != ApkToken.End)
        {
            if (r.Next == ApkToken.Invalid || !r.Read(out _))
            {
                reason = $"unexpected text at offset {r.Position} (expected digit{{.digit}}...{{letter}}{{_suffix{{#}}}}...{{-r#}})";
                return false;
            }
        }
        reason = null;
        version = new ApkVersion(text);
        return true;
    }

    public int CompareTo(ApkVersion other)
    {
        var a = new ApkTokenReader(_text ?? "0");
        var b = new ApkTokenReader(other._text ?? "0");
        while (a.Next == b.Next && a.Next is not (ApkToken.End or ApkToken.Invalid))
        {
            a.Read(out var va);
            b.Read(out var vb);
            var c = va.CompareTo(vb);
            if (c != 0) return c;
        }
        if (a.Next == b.Next) return 0;
        // the common part is equal: the longer one is newer, unless what follows is a pre-release suffix
        if (a.Next == ApkToken.Suffix && a.Read(out var sa) && sa.Small < 0) return -1;
        if (b.Next == ApkToken.Suffix && b.Read(out var sb) && sb.Small < 0) return 1;
        return a.Next > b.Next ? -1 : 1;
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

/// Token kinds in the order apk-tools ranks them: when one version ends where the other goes on, the one whose next
/// token kind is higher (End highest) is older.
internal enum ApkToken { Invalid = -1, DigitOrZero, Digit, Letter, Suffix, SuffixNumber, RevisionNumber, End }

/// One token's value: a digit run (compared numerically, any length) or a small integer (letter, suffix rank, -zeros).
internal readonly ref struct ApkValue(ReadOnlySpan<char> digits, long small, bool isDigits)
{
    public readonly ReadOnlySpan<char> Digits = digits;
    public readonly long Small = small;
    public readonly bool IsDigits = isDigits;

    public int CompareTo(ApkValue other)
    {
        if (IsDigits && other.IsDigits)
        {
            var a = Digits.TrimStart('0');
            var b = other.Digits.TrimStart('0');
            return a.Length != b.Length ? a.Length.CompareTo(b.Length) : Math.Sign(a.SequenceCompareTo(b));
        }
        // same token kind, so the only mix is a leading-zero run (negative) against a number (zero or more)
        if (IsDigits) return 1;
        if (other.IsDigits) return -1;
        return Small.CompareTo(other.Small);
    }
}

/// The apk-tools 2.x version tokenizer, as a state machine over the text (linear time, no allocation).
internal ref struct ApkTokenReader(ReadOnlySpan<char> text)
{
    private static readonly string[] PreSuffixes = ["alpha", "beta", "pre", "rc"];
    private static readonly string[] PostSuffixes = ["cvs", "svn", "git", "hg", "p"];

    private ReadOnlySpan<char> _rest = text;
    private readonly int _length = text.Length;

    /// The kind of the next token (a version starts with a number).
    public ApkToken Next { get; private set; } = text.Length == 0 ? ApkToken.End : ApkToken.Digit;

    public readonly int Position => _length - _rest.Length;

    /// Reads the token of kind <see cref="Next"/>; false (and Next = Invalid) when the text is not a valid version there.
    public bool Read(out ApkValue value)
    {
        var i = 0;
        var next = ApkToken.Invalid;   // set when this token decides the next kind itself
        value = default;
        switch (Next)
        {
            case ApkToken.DigitOrZero when _rest.Length > 0 && _rest[0] == '0':
                while (i < _rest.Length && _rest[i] == '0') i++;
                value = new ApkValue([], -i, false);
                next = ApkToken.Digit;   // digits after the zeros are a token of their own
                break;
            case ApkToken.DigitOrZero or ApkToken.Digit or ApkToken.SuffixNumber or ApkToken.RevisionNumber:
                while (i < _rest.Length && char.IsAsciiDigit(_rest[i])) i++;
                value = new ApkValue(_rest[..i], 0, true);
                break;
            case ApkToken.Letter:
                value = new ApkValue([], _rest[0], false);
                i = 1;
                break;
            case ApkToken.Suffix:
                if (Suffix(_rest, out var rank, out i)) { value = new ApkValue([], rank, false); break; }
                Next = ApkToken.Invalid;
                return false;
            default:
                Next = ApkToken.Invalid;
                return false;
        }
        var kind = Next;
        _rest = _rest[i..];
        if (_rest.Length == 0) Next = ApkToken.End;
        else if (next != ApkToken.Invalid) Next = next;
        else Advance(kind);
        return Next != ApkToken.Invalid;
    }

    // pre-release suffixes rank -4..-1 (before the release), post-release 0..4
    private static bool Suffix(ReadOnlySpan<char> s, out int rank, out int length)
    {
        for (var k = 0; k < PreSuffixes.Length; k++)
            if (s.StartsWith(PreSuffixes[k], StringComparison.Ordinal)) { rank = k - PreSuffixes.Length; length = PreSuffixes[k].Length; return true; }
        for (var k = 0; k < PostSuffixes.Length; k++)
            if (s.StartsWith(PostSuffixes[k], StringComparison.Ordinal)) { rank = k; length = PostSuffixes[k].Length; return true; }
        rank = length = 0;
        return false;
    }

    // decides the kind of the next token from the separator or character that follows a token of kind `after`
    private void Advance(ApkToken after)
    {
        var c = _rest[0];
        ApkToken n;
        if (c == '\0') n = ApkToken.Invalid;   // apk would stop at NUL; we refuse instead
        else if (after is ApkToken.Digit or ApkToken.DigitOrZero && char.IsAsciiLetterLower(c)) n = ApkToken.Letter;
        else if (after == ApkToken.Letter && char.IsAsciiDigit(c)) n = ApkToken.Digit;
        else if (after == ApkToken.Suffix && char.IsAsciiDigit(c)) n = ApkToken.SuffixNumber;
        else
        {
            n = c switch
            {
                '.' => ApkToken.DigitOrZero,
                '_' => ApkToken.Suffix,
                '-' when _rest.Length > 1 && _rest[1] == 'r' => ApkToken.RevisionNumber,
                _ => ApkToken.Invalid,
            };
            _rest = _rest[(n == ApkToken.RevisionNumber ? 2 : 1)..];
        }
        // kinds only move forward, except .digit after digits, a new _suffix after its number, digits after a letter
        if (n < after && !(n == ApkToken.DigitOrZero && after == ApkToken.Digit)
                      && !(n == ApkToken.Suffix && after == ApkToken.SuffixNumber)
                      && !(n == ApkToken.Digit && after == ApkToken.Letter))
            n = ApkToken.Invalid;
        Next = n;
    }
}
