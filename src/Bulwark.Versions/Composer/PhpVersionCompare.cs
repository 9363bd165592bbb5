// SPDX-License-Identifier: Apache-2.0
using System.Text;

namespace Bulwark.Versions.Composer;

/// PHP's version_compare (ext/standard/versioning.c), which composer/semver's Comparator applies to normalised versions.
internal static class PhpVersionCompare
{
    /// version_compare($a, $b): -1, 0 or 1.
    public static int Compare(string a, string b)
    {
        if (a.Length == 0 || b.Length == 0) return a.Length == 0 && b.Length == 0 ? 0 : a.Length == 0 ? -1 : 1;
        return Compare(Parts(a), Parts(b));
    }

    /// version_compare on versions already split by <see cref="Parts"/> (both non-empty versions).
    public static int Compare(IReadOnlyList<string> p1, IReadOnlyList<string> p2)
    {
        var n = Math.Min(p1.Count, p2.Count);
        for (var i = 0; i < n; i++)
        {
            var c = ComparePart(p1[i], p2[i]);
            if (c != 0) return c;
        }
        // the longer one wins when its next part is a number; otherwise that part is compared with "#N#"
        if (p1.Count > n) return IsDigit(p1[n]) ? 1 : CompareSpecial(p1[n], "#N#");
        if (p2.Count > n) return IsDigit(p2[n]) ? -1 : CompareSpecial("#N#", p2[n]);
        return 0;
    }

    /// A hash consistent with Compare: versions equal under it have equal part lists up to special-form classes.
    public static int HashOf(string version)
    {
        var h = new HashCode();
        var parts = Parts(version);
        var end = parts.Count;
        foreach (var p in parts.Take(end)) h.Add(IsDigit(p) ? p.TrimStart('0') : SpecialOrder(p).ToString(System.Globalization.CultureInfo.InvariantCulture));
        return h.ToHashCode();
    }

    private static int ComparePart(string x, string y)
    {
        var dx = IsDigit(x);
        var dy = IsDigit(y);
        if (dx && dy) return CompareNumbers(x, y);
        if (!dx && !dy) return CompareSpecial(x, y);
        return dx ? CompareSpecial("#N#", y) : CompareSpecial(x, "#N#");
    }

    // strtol of the leading digits; arbitrary precision here (PHP clamps at LONG_MAX, which normalised versions never reach)
    private static int CompareNumbers(string x, string y)
    {
        var a = LeadingDigits(x).TrimStart('0');
        var b = LeadingDigits(y).TrimStart('0');
        return a.Length != b.Length ? a.Length.CompareTo(b.Length) : Math.Sign(string.CompareOrdinal(a, b));
    }

    private static string LeadingDigits(string s)
    {
        var i = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
        return s[..i];
    }

    private static bool IsDigit(string part) => part.Length > 0 && char.IsAsciiDigit(part[0]);

    private static int CompareSpecial(string x, string y) => Math.Sign(SpecialOrder(x) - SpecialOrder(y));

    // compare_special_version_forms: the first name that prefixes the part (strncmp), case-sensitive; unknown is -1
    private static int SpecialOrder(string form)
    {
        ReadOnlySpan<(string Name, int Order)> forms =
            [("dev", 0), ("alpha", 1), ("a", 1), ("beta", 2), ("b", 2), ("RC", 3), ("rc", 3), ("#", 4), ("pl", 5), ("p", 5)];
        foreach (var (name, order) in forms)
            if (form.StartsWith(name, StringComparison.Ordinal)) return order;
        return -1;
    }

    /// php_canonicalize_version, then the '.'-separated parts (empty parts kept, as PHP's strchr walk does).
    internal static List<string> Parts(string version)
    {
        var canonical = version[0] == '#' ? version : Canonicalize(version);
        return [.. canonical.Split('.')];
    }

    private static string Canonicalize(string v)
    {
        // s/[-_+]/./g; a '.' between a digit and a non-digit; any other non-alphanumeric becomes '.'
        var sb = new StringBuilder(v.Length * 2);
        sb.Append(v[0]);
        var lp = v[0];
        for (var i = 1; i < v.Length; i++)
        {
            var c = v[i];
            if (c is '-' or '_' or '+')
            {
                if (sb[^1] != '.') sb.Append('.');
            }
            else if ((IsNonDigit(lp) && IsDig(c)) || (IsDig(lp) && IsNonDigit(c)))
            {
                if (sb[^1] != '.') sb.Append('.');
                sb.Append(c);
            }
            else if (!char.IsAsciiLetterOrDigit(c))
            {
                if (sb[^1] != '.') sb.Append('.');
            }
            else sb.Append(c);
            lp = c;
        }
        return sb.ToString();
    }

    private static bool IsDig(char c) => char.IsAsciiDigit(c);
    private static bool IsNonDigit(char c) => !char.IsAsciiDigit(c) && c != '.';
}
