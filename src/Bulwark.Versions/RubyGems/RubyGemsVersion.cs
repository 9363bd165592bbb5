// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Versions.RubyGems;

/// A gem version ordered as RubyGems' Gem::Version: segments are runs of digits or letters, a version with any letter
/// is a prerelease ("1.0.a" &lt; "1.0"), trailing zeros of the release and prerelease parts are ignored ("1.0" = "1").
public sealed class RubyGemsVersion : IComparable<RubyGemsVersion>, IComparable, IEquatable<RubyGemsVersion>
{
    /// A digit run (any size, leading zeros dropped: compared by length, then digit by digit) or a letter run.
    private readonly record struct Segment(bool IsNumber, string Value)
    {
        public static readonly Segment Zero = new(true, "");
        public bool IsZero => IsNumber && Value.Length == 0;
    }

    private readonly Segment[] _canonical;

    private RubyGemsVersion(string text, Segment[] canonical)
    {
        Text = text;
        _canonical = canonical;
    }

    /// The version as RubyGems keeps it: surrounding whitespace trimmed, '-' written ".pre.", "" read as "0".
    public string Text { get; }

    /// True when any segment is a letter run (Gem::Version#prerelease?).
    public bool IsPrerelease => _canonical.Any(s => !s.IsNumber);

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
    private static List<Segment> Segments(string t)
    {
        var segments = new List<Segment>();
        var i = 0;
        while (i < t.Length)
        {
            var start = i;
            if (char.IsAsciiDigit(t[i]))
            {
                while (i < t.Length && char.IsAsciiDigit(t[i])) i++;
                segments.Add(new Segment(true, t[start..i].TrimStart('0')));
            }
            else if (char.IsAsciiLetter(t[i]))
            {
                while (i < t.Length && char.IsAsciiLetter(t[i])) i++;
                segments.Add(new Segment(false, t[start..i]));
            }
            else i++;
        }
        return segments;
    }

    // canonical_segments: the numeric part before the first letter run and the rest, each without trailing zeros
    private static Segment[] Canonicalise(List<Segment> segments)
    {
        var firstString = segments.FindIndex(s => !s.IsNumber);
        if (firstString < 0) firstString = segments.Count;
        var result = new List<Segment>(segments.Count);
        AddTrimmed(result, segments, 0, firstString);
        AddTrimmed(result, segments, firstString, segments.Count);
        return [.. result];
    }

    private static void AddTrimmed(List<Segment> into, List<Segment> from, int start, int end)
    {
        while (end > start && from[end - 1].IsZero) end--;
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
            var a = i < l.Length ? l[i] : Segment.Zero;
            var b = i < r.Length ? r[i] : Segment.Zero;
            if (a == b) continue;
            if (a.IsNumber != b.IsNumber) return a.IsNumber ? 1 : -1; // a letter run is older than a number
            if (a.IsNumber && a.Value.Length != b.Value.Length) return a.Value.Length.CompareTo(b.Value.Length);
            return Math.Sign(string.CompareOrdinal(a.Value, b.Value));
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
