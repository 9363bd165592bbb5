// SPDX-License-Identifier: Apache-2.0
using System.Globalization;

namespace Bulwark.Versions.Pub;

/// A Dart package version ordered as pub_semver's Version: semver, but build metadata is significant and a version
/// with a build sorts after the same version without one ("1.0.0 &lt; 1.0.0+1"); identifiers that Dart's int.tryParse
/// reads (digits, a leading '-', "0x" hex, within 64 bits) compare as numbers, before strings.
public sealed class PubVersion : IComparable<PubVersion>, IComparable, IEquatable<PubVersion>
{
    private readonly object[] _preRelease; // long or string
    private readonly object[] _build;

    private PubVersion(string text, long major, long minor, long patch, object[] preRelease, object[] build)
    {
        Text = text;
        Major = major;
        Minor = minor;
        Patch = patch;
        _preRelease = preRelease;
        _build = build;
    }

    /// The text as given (pub's toString).
    public string Text { get; }

    /// pub_semver's canonicalizedVersion: numbers without leading zeros ("01.02.03-01.dev+pre.02" is "1.2.3-1.dev+pre.2").
    public string Canonical
    {
        get
        {
            var inv = CultureInfo.InvariantCulture;
            var text = string.Create(inv, $"{Major}.{Minor}.{Patch}");
            if (_preRelease.Length > 0) text += "-" + string.Join('.', _preRelease.Select(p => Convert.ToString(p, inv)));
            if (_build.Length > 0) text += "+" + string.Join('.', _build.Select(p => Convert.ToString(p, inv)));
            return text;
        }
    }

    public long Major { get; }
    public long Minor { get; }
    public long Patch { get; }
    public bool IsPreRelease => _preRelease.Length > 0;

    public static PubVersion Parse(string text) =>
        TryParse(text, out var v) ? v : throw new InvalidVersionException("Pub", text,
            "expected MAJOR.MINOR.PATCH[-prerelease][+build] with numbers that fit in 64 bits");

    public static bool TryParse(string text, out PubVersion version)
    {
        // ^(\d+)\.(\d+)\.(\d+)(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$
        // (pub_semver leaves the two dots unescaped, so it also takes any character there; we take only '.')
        version = null!;
        if (text is null) return false;
        var i = 0;
        if (!Number(text, ref i, out var major) || !Dot(text, ref i) || !Number(text, ref i, out var minor)
            || !Dot(text, ref i) || !Number(text, ref i, out var patch))
            return false;
        object[] pre = [], build = [];
        if (i < text.Length && text[i] == '-' && !Identifiers(text, ref i, out pre)) return false;
        if (i < text.Length && text[i] == '+' && !Identifiers(text, ref i, out build)) return false;
        if (i != text.Length) return false;
        version = new PubVersion(text, major, minor, patch, pre, build);
        return true;
    }

    private static bool Dot(string t, ref int i)
    {
        if (i >= t.Length || t[i] != '.') return false;
        i++;
        return true;
    }

    private static bool Number(string t, ref int i, out long value)
    {
        var start = i;
        while (i < t.Length && char.IsAsciiDigit(t[i])) i++;
        // Dart's int.parse fails past 64 bits, so pub rejects such versions
        return long.TryParse(t.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    // after the '-' or '+' at t[i]: [0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*
    private static bool Identifiers(string t, ref int i, out object[] parts)
    {
        parts = [];
        var list = new List<object>();
        i++;
        while (true)
        {
            var start = i;
            while (i < t.Length && (char.IsAsciiLetterOrDigit(t[i]) || t[i] == '-')) i++;
            if (i == start) return false;
            list.Add(Part(t[start..i]));
            if (i < t.Length && t[i] == '.') { i++; continue; }
            parts = [.. list];
            return true;
        }
    }

    // int.tryParse(part) ?? part: optional sign, decimal or 0x hex, within 64 bits
    private static object Part(string s)
    {
        var negative = s.StartsWith('-');
        var body = negative ? s[1..] : s;
        bool ok;
        long v = 0;
        if (body.Length > 2 && body[0] == '0' && body[1] is 'x' or 'X')
        {
            ok = ulong.TryParse(body.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var u)
                && (u <= long.MaxValue || (negative && u == 1UL << 63));
            v = ok ? unchecked((long)u) : 0;
            if (ok && negative) v = unchecked(-v);
        }
        else
        {
            ok = body.Length > 0 && body.All(char.IsAsciiDigit)
                && long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out v);
        }
        return ok ? v : s;
    }

    public int CompareTo(PubVersion? other)
    {
        if (other is null) return 1;
        if (Major != other.Major) return Major.CompareTo(other.Major);
        if (Minor != other.Minor) return Minor.CompareTo(other.Minor);
        if (Patch != other.Patch) return Patch.CompareTo(other.Patch);
        // pre-releases come before the release
        if (!IsPreRelease && other.IsPreRelease) return 1;
        if (IsPreRelease && !other.IsPreRelease) return -1;
        var c = CompareLists(_preRelease, other._preRelease);
        if (c != 0) return c;
        // builds come after the plain version
        if (_build.Length == 0 && other._build.Length > 0) return -1;
        if (_build.Length > 0 && other._build.Length == 0) return 1;
        return CompareLists(_build, other._build);
    }

    private static int CompareLists(object[] a, object[] b)
    {
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            if (i >= a.Length) return -1; // missing parts come before present ones
            if (i >= b.Length) return 1;
            var c = (a[i], b[i]) switch
            {
                (long x, long y) => x.CompareTo(y),
                (long, string) => -1, // numbers before strings
                (string, long) => 1,
                (string x, string y) => Math.Sign(string.CompareOrdinal(x, y)),
                _ => 0,
            };
            if (c != 0) return c;
        }
        return 0;
    }

    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        PubVersion v => CompareTo(v),
        _ => throw new ArgumentException($"Cannot compare a Pub version with {obj.GetType().Name}.", nameof(obj)),
    };

    public bool Equals(PubVersion? other) => other is not null && CompareTo(other) == 0;
    public override bool Equals(object? obj) => obj is PubVersion v && Equals(v);

    public override int GetHashCode()
    {
        var h = new HashCode();
        h.Add(Major);
        h.Add(Minor);
        h.Add(Patch);
        foreach (var p in _preRelease) h.Add(p);
        h.Add('+');
        foreach (var p in _build) h.Add(p);
        return h.ToHashCode();
    }

    public override string ToString() => Text;

    public static bool operator ==(PubVersion? a, PubVersion? b) => a is null ? b is null : a.Equals(b);
    public static bool operator !=(PubVersion? a, PubVersion? b) => !(a == b);
    public static bool operator <(PubVersion a, PubVersion b) => a.CompareTo(b) < 0;
    public static bool operator >(PubVersion a, PubVersion b) => a.CompareTo(b) > 0;
    public static bool operator <=(PubVersion a, PubVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >=(PubVersion a, PubVersion b) => a.CompareTo(b) >= 0;
}
