// SPDX-License-Identifier: Apache-2.0
using System.Numerics;

namespace Bulwark.Versions.RubyGems;

/// A gem version ordered as RubyGems' Gem::Version: segments are runs of digits or letters, a version with any letter
/// is a prerelease ("1.0.a" &lt; "1.0"), trailing zeros of the release and prerelease parts are ignored ("1.0" = "1").
public sealed class RubyGemsVersion : IComparable<RubyGemsVersion>, IComparable, IEquatable<RubyGemsVersion>
{
    // canonical segments: BigInteger or string
    private readonly object[] _canonical;

    private RubyGemsVersion(string text, object[] canonical)
    {
        Text = text;
        _canonical = canonical;
    }

    /// The version as RubyGems keeps it: surrounding whitespace trimmed, '-' written ".pre.", "" read as "0".
    public string Text { get; }

    /// True when any segment is a letter run (Gem::Version#prerelease?).
    public bool IsPrerelease => _canonical.Any(s => s is string);

    public static RubyGemsVersion Parse(string text) =>
        TryParse(text, out var v) ? v : throw new InvalidVersionException("RubyGems", text,
            "expected digits, then '.'-separated letters and digits, optionally '-' and a prerelease (Gem::Version::ANCHORED_VERSION_PATTERN)");

    public static bool TryParse(string text, out RubyGemsVersion version)
    {
        version = null!;
        if (text is null) return false;
        // Gem::Version.correct?: \A\s*([0-9]+(?>\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?)?\s*\z
        var t = text.Trim(' ', '\t', '\n', '\v', '\f', '\r');
        if (t.Length == 0) t = "0";
        if (!IsCorrect(t)) return false;
        t = t.Replace("-", ".pre.", StringComparison.Ordinal);
        version = new RubyGemsVersion(t, Canonicalise(Segments(t)));
        return true;
    }

    private static bool IsCorrect(string t)
    {
        var i = 0;
        while (i < t.Length && char.IsAsciiDigit(t[i])) i++;
        if (i == 0) return false;
        // release part: (\.[0-9a-zA-Z]+)*
        while (i < t.Length && t[i] == '.')
        {
            var start = ++i;
            while (i < t.Length && char.IsAsciiLetterOrDigit(t[i])) i++;
            if (i == start) return false;
        }
        if (i == t.Length) return true;
        if (t[i] != '-') return false;
        // prerelease: -[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*
        i++;
        while (true)
        {
            var start = i;
            while (i < t.Length && (char.IsAsciiLetterOrDigit(t[i]) || t[i] == '-')) i++;
            if (i == start) return false;
            if (i == t.Length) return true;
            if (t[i] != '.') return false;
            i++;
        }
    }

    // version.scan(/[0-9]+|[a-z]+/i), digit runs as integers
    private static List<object> Segments(string t)
    {
        var segments = new List<object>();
        var i = 0;
        while (i < t.Length)
        {
            var start = i;
            if (char.IsAsciiDigit(t[i]))
            {
                while (i < t.Length && char.IsAsciiDigit(t[i])) i++;
                segments.Add(BigInteger.Parse(t.AsSpan(start, i - start), provider: System.Globalization.CultureInfo.InvariantCulture));
            }
            else if (char.IsAsciiLetter(t[i]))
            {
                while (i < t.Length && char.IsAsciiLetter(t[i])) i++;
                segments.Add(t[start..i]);
            }
            else i++;
        }
        return segments;
    }

    // canonical_segments: the numeric part before the first letter run and the rest, each without trailing zeros
    private static object[] Canonicalise(List<object> segments)
    {
        var firstString = segments.FindIndex(s => s is string);
        if (firstString < 0) firstString = segments.Count;
        var result = new List<object>(segments.Count);
        AddTrimmed(result, segments, 0, firstString);
        AddTrimmed(result, segments, firstString, segments.Count);
        return [.. result];
    }

    private static void AddTrimmed(List<object> into, List<object> from, int start, int end)
    {
        while (end > start && from[end - 1] is BigInteger b && b.IsZero) end--;
        for (var i = start; i < end; i++) into.Add(from[i]);
    }

    /// Gem::Version#&lt;=&gt;: missing segments are 0, a letter run sorts before a number, letters by byte order.
    public int CompareTo(RubyGemsVersion? other)
    {
        if (other is null) return 1;
        var l = _canonical;
        var r = other._canonical;
        var n = Math.Max(l.Length, r.Length);
        for (var i = 0; i < n; i++)
        {
            var a = i < l.Length ? l[i] : BigInteger.Zero;
            var b = i < r.Length ? r[i] : BigInteger.Zero;
            switch (a, b)
            {
                case (BigInteger x, BigInteger y):
                    if (x != y) return x.CompareTo(y);
                    break;
                case (string, BigInteger):
                    return -1;
                case (BigInteger, string):
                    return 1;
                default:
                    var c = string.CompareOrdinal((string)a, (string)b);
                    if (c != 0) return Math.Sign(c);
                    break;
            }
        }
        return 0;
    }

    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        RubyGemsVersion v => CompareTo(v),
        _ => throw new ArgumentException($"Cannot compare a RubyGems version with {obj.GetType().Name}.", nameof(obj)),
    };

    public bool Equals(RubyGemsVersion? other) => other is not null && CompareTo(other) == 0;
    public override bool Equals(object? obj) => obj is RubyGemsVersion v && Equals(v);

    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var s in _canonical) h.Add(s);
        return h.ToHashCode();
    }

    public override string ToString() => Text;

    public static bool operator ==(RubyGemsVersion? a, RubyGemsVersion? b) => a is null ? b is null : a.Equals(b);
    public static bool operator !=(RubyGemsVersion? a, RubyGemsVersion? b) => !(a == b);
    public static bool operator <(RubyGemsVersion a, RubyGemsVersion b) => a.CompareTo(b) < 0;
    public static bool operator >(RubyGemsVersion a, RubyGemsVersion b) => a.CompareTo(b) > 0;
    public static bool operator <=(RubyGemsVersion a, RubyGemsVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >=(RubyGemsVersion a, RubyGemsVersion b) => a.CompareTo(b) >= 0;
}
