// SPDX-License-Identifier: Apache-2.0
using System.Text;
using Bulwark.Versions.Semver;

namespace Bulwark.Versions.Pep440;

/// A PEP 440 version ([N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]), normalised as PEP 440 says (case, separators,
/// alternative spellings, implicit post releases, leading "v") and ordered as PEP 440 orders it. Numbers are kept as
/// digit strings, so any length compares correctly. Equals agrees with CompareTo ("1.0" equals "1.0.0").
public readonly record struct Pep440Version : IComparable<Pep440Version>, IComparable
{
    private readonly string? _epoch, _release, _preLabel, _preNumber, _post, _dev, _local;

    private Pep440Version(string epoch, string release, string preLabel, string preNumber, string? post, string? dev, string local)
    {
        _epoch = epoch; _release = release; _preLabel = preLabel; _preNumber = preNumber; _post = post; _dev = dev; _local = local;
    }

    /// The epoch's digits without leading zeros ("0" when absent).
    public string Epoch => _epoch ?? "0";
    /// The release segment, normalised ("1.0.2"; leading zeros dropped, trailing zeros kept as written).
    public string Release => _release ?? "0";
    /// "a", "b", "rc", or "" for no pre-release.
    public string PreLabel => _preLabel ?? "";
    /// The pre-release number ("" when there is no pre-release).
    public string PreNumber => _preNumber ?? "";
    /// The post-release number, or null.
    public string? Post => _post;
    /// The development-release number, or null.
    public string? Dev => _dev;
    /// The local version label, normalised (lower case, "." separators, numeric parts without leading zeros), or "".
    public string Local => _local ?? "";

    public bool IsPrerelease => PreLabel.Length > 0 || Dev is not null;

    public static Pep440Version Parse(string text) =>
        TryParse(text, out var v, out var reason) ? v : throw new InvalidVersionException("PEP 440", text, reason);

    public static bool TryParse(string text, out Pep440Version version) => TryParse(text, out version, out _);

    private static bool TryParse(string? text, out Pep440Version version, out string? reason)
    {
        version = default;
        reason = null;
        if (text is null) { reason = "no text"; return false; }
        var s = text.AsSpan().Trim();
        var p = 0;
        if (p < s.Length && s[p] is 'v' or 'V') p++;

        // epoch and release: N(.N)* with an optional "N!" in front
        if (!ReadDigits(s, ref p, out var first)) { reason = "expected a release number"; return false; }
        var epoch = "0";
        if (p < s.Length && s[p] == '!')
        {
            epoch = first;
            p++;
            if (!ReadDigits(s, ref p, out first)) { reason = "expected a release number after the epoch"; return false; }
        }
        var release = new StringBuilder(first);
        while (p + 1 < s.Length && s[p] == '.' && char.IsAsciiDigit(s[p + 1]))
        {
            p++;
            ReadDigits(s, ref p, out var n);
            release.Append('.').Append(n);
        }

        // pre-release: [-_.]?(a|alpha|b|beta|c|rc|pre|preview)[-_.]?N?
        string preLabel = "", preNumber = "";
        {
            var q = p;
            SkipSeparator(s, ref q);
            if (ReadWord(s, ref q, out var label) && NormalisePre(label) is { } pl)
            {
                preLabel = pl;
                var r = q;
                SkipSeparator(s, ref r);
                if (ReadDigits(s, ref r, out var n)) { preNumber = n; q = r; } else preNumber = "0";
                p = q;
            }
        }

        // post-release: -N | [-_.]?(post|rev|r)[-_.]?N?
        string? post = null;
        if (p + 1 < s.Length && s[p] == '-' && char.IsAsciiDigit(s[p + 1]))
        {
            p++;
            ReadDigits(s, ref p, out var n);
            post = n;
        }
        else
        {
            var q = p;
            SkipSeparator(s, ref q);
            if (ReadWord(s, ref q, out var label) && label is "post" or "rev" or "r")
            {
                var r = q;
                SkipSeparator(s, ref r);
                if (ReadDigits(s, ref r, out var n)) { post = n; q = r; } else post = "0";
                p = q;
            }
        }

        // development release: [-_.]?dev[-_.]?N?
        string? dev = null;
        {
            var q = p;
            SkipSeparator(s, ref q);
            if (ReadWord(s, ref q, out var label) && label == "dev")
            {
                var r = q;
                SkipSeparator(s, ref r);
                if (ReadDigits(s, ref r, out var n)) { dev = n; q = r; } else dev = "0";
                p = q;
            }
        }

        // local version label: +[a-z0-9]+([-_.][a-z0-9]+)*
        var local = "";
        if (p < s.Length && s[p] == '+')
        {
            p++;
            var sb = new StringBuilder();
            var start = p;
            for (var i = p; i <= s.Length; i++)
            {
                if (i < s.Length && char.IsAsciiLetterOrDigit(s[i])) continue;
                if (i < s.Length && s[i] is not ('-' or '_' or '.')) { reason = $"'{s[i]}' is not allowed in a local version label"; return false; }
                var part = s[start..i];
                if (part.Length == 0) { reason = "empty part in the local version label"; return false; }
                if (sb.Length > 0) sb.Append('.');
                if (SemVersion.IsNumeric(part)) AppendNumber(sb, part); else foreach (var c in part) sb.Append(char.ToLowerInvariant(c));
                start = i + 1;
            }
            local = sb.ToString();
            p = s.Length;
        }
        if (p != s.Length) { reason = $"unexpected '{s[p]}' at position {p + 1}"; return false; }
        version = new Pep440Version(epoch, release.ToString(), preLabel, preNumber, post, dev, local);
        return true;
    }

    private static void AppendNumber(StringBuilder sb, ReadOnlySpan<char> digits)
    {
        var t = digits.TrimStart('0');
        if (t.Length == 0) sb.Append('0'); else sb.Append(t);
    }

    private static bool ReadDigits(ReadOnlySpan<char> s, ref int p, out string number)
    {
        var start = p;
        while (p < s.Length && char.IsAsciiDigit(s[p])) p++;
        if (p == start) { number = ""; return false; }
        var t = s[start..p].TrimStart('0');
        number = t.Length == 0 ? "0" : t.ToString();
        return true;
    }

    private static void SkipSeparator(ReadOnlySpan<char> s, ref int p)
    {
        if (p < s.Length && s[p] is '-' or '_' or '.') p++;
    }

    private static bool ReadWord(ReadOnlySpan<char> s, ref int p, out string word)
    {
        var start = p;
        while (p < s.Length && char.IsAsciiLetter(s[p]) && p - start < 8) p++;
        word = s[start..p].ToString().ToLowerInvariant();
        return p > start;
    }

    private static string? NormalisePre(string label) => label switch
    {
        "a" or "alpha" => "a",
        "b" or "beta" => "b",
        "rc" or "c" or "pre" or "preview" => "rc",
        _ => null,
    };

    /// PEP 440 order: epoch; release (trailing zeros insignificant); then .devN &lt; aN &lt; bN &lt; rcN &lt; release &lt; .postN
    /// (a dev release of a pre or post release sorts just before it); a local label sorts after the public version,
    /// its parts compared numerically when both are numbers, numbers after words, shorter label first.
    public int CompareTo(Pep440Version other)
    {
        var c = SemVersion.CompareDigits(Epoch, other.Epoch);
        if (c != 0) return c;
        c = CompareRelease(Release, other.Release);
        if (c != 0) return c;
        c = PreRank().CompareTo(other.PreRank());
        if (c != 0) return c;
        if (PreLabel.Length > 0)
        {
            c = SemVersion.CompareDigits(PreNumber, other.PreNumber);
            if (c != 0) return c;
        }
        c = CompareOptional(Post, other.Post, missingFirst: true);
        if (c != 0) return c;
        c = CompareOptional(Dev, other.Dev, missingFirst: false);
        if (c != 0) return c;
        return CompareLocal(Local, other.Local);
    }

    // 0: dev release of a final release with no pre or post part (sorts before every pre-release); 1-3: a, b, rc; 4: none
    private int PreRank() => PreLabel switch
    {
        "a" => 1,
        "b" => 2,
        "rc" => 3,
        _ => Post is null && Dev is not null ? 0 : 4,
    };

    private static int CompareOptional(string? x, string? y, bool missingFirst)
    {
        if (x is null || y is null) return x is null ? (y is null ? 0 : missingFirst ? -1 : 1) : missingFirst ? 1 : -1;
        return SemVersion.CompareDigits(x, y);
    }

    private static int CompareRelease(string x, string y)
    {
        int i = 0, j = 0;
        while (i < x.Length || j < y.Length)
        {
            var a = NextPart(x, ref i);
            var b = NextPart(y, ref j);
            var c = SemVersion.CompareDigits(a, b);
            if (c != 0) return c;
        }
        return 0;
    }

    private static ReadOnlySpan<char> NextPart(string s, ref int i)
    {
        if (i >= s.Length) return "0";
        var end = s.IndexOf('.', i);
        if (end < 0) end = s.Length;
        var part = s.AsSpan(i, end - i);
        i = end + 1;
        return part;
    }

    private static int CompareLocal(string x, string y)
    {
        if (x.Length == 0 || y.Length == 0) return x.Length == 0 ? (y.Length == 0 ? 0 : -1) : 1;
        int i = 0, j = 0;
        while (true)
        {
            if (i >= x.Length || j >= y.Length) return i >= x.Length ? (j >= y.Length ? 0 : -1) : 1;
            var a = NextPart(x, ref i);
            var b = NextPart(y, ref j);
            var na = SemVersion.IsNumeric(a);
            var nb = SemVersion.IsNumeric(b);
            var c = na && nb ? SemVersion.CompareDigits(a, b) : na ? 1 : nb ? -1 : Math.Sign(a.SequenceCompareTo(b));
            if (c != 0) return c;
        }
    }

    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        Pep440Version v => CompareTo(v),
        _ => throw new ArgumentException($"Cannot compare a PEP 440 version with {obj.GetType().Name}.", nameof(obj)),
    };

    public bool Equals(Pep440Version other) => CompareTo(other) == 0;

    public override int GetHashCode() =>
        HashCode.Combine(Epoch, Release.AsSpan().TrimEnd(".0").ToString(), PreLabel, PreNumber, Post, Dev, Local);

    /// The normalised form ("1!2.0rc1.post2.dev3+ubuntu.1").
    public override string ToString()
    {
        var sb = new StringBuilder();
        if (Epoch != "0") sb.Append(Epoch).Append('!');
        sb.Append(Release);
        if (PreLabel.Length > 0) sb.Append(PreLabel).Append(PreNumber);
        if (Post is not null) sb.Append(".post").Append(Post);
        if (Dev is not null) sb.Append(".dev").Append(Dev);
        if (Local.Length > 0) sb.Append('+').Append(Local);
        return sb.ToString();
    }

    public static bool operator <(Pep440Version a, Pep440Version b) => a.CompareTo(b) < 0;
    public static bool operator >(Pep440Version a, Pep440Version b) => a.CompareTo(b) > 0;
    public static bool operator <=(Pep440Version a, Pep440Version b) => a.CompareTo(b) <= 0;
    public static bool operator >=(Pep440Version a, Pep440Version b) => a.CompareTo(b) >= 0;
}
