// SPDX-License-Identifier: Apache-2.0
using System.Text;

namespace Bulwark.Versions.Maven;

/// A Maven version ordered as Maven 3.8's ComparableVersion: items split on '.', '-' and digit/letter
/// transitions, '-' and transitions open a nested list, qualifiers alpha &lt; beta &lt; milestone &lt; rc = cr &lt; snapshot
/// &lt; "" = ga = final = release &lt; sp &lt; unknown (lexical), trailing null items dropped.
public sealed class MavenVersion : IComparable<MavenVersion>, IComparable, IEquatable<MavenVersion>
{
    /// Nesting bound: each '-' or digit/letter transition nests a list, and comparison recurses once per level.
    /// Real versions nest a handful of levels; a bound keeps hostile input from exhausting the stack.
    internal const int MaxDepth = 200;

    private readonly ListItem _items;

    private MavenVersion(string text, ListItem items)
    {
        Text = text;
        _items = items;
        Canonical = items.ToString();
    }

    /// The text as given.
    public string Text { get; }

    /// Maven's canonical form (ComparableVersion.getCanonical): equal versions have equal canonical forms.
    public string Canonical { get; }

    public static MavenVersion Parse(string text) =>
        TryParse(text, out var v, out var reason) ? v : throw new InvalidVersionException("Maven", text, reason);

    public static bool TryParse(string text, out MavenVersion version) => TryParse(text, out version, out _);

    private static bool TryParse(string? text, out MavenVersion version, out string? reason)
    {
        version = null!;
        reason = null;
        if (string.IsNullOrEmpty(text)) { reason = "empty"; return false; }
        foreach (var ch in text)
            if (char.IsWhiteSpace(ch) || char.IsControl(ch)) { reason = "contains whitespace or control characters"; return false; }

        // ComparableVersion.parseVersion, with a stack of open lists; only ASCII digits count as digits
        // (Java's Character.isDigit also takes other Unicode digits; no published version uses them).
        var lower = text.ToLowerInvariant();
        var root = new ListItem();
        var list = root;
        var stack = new List<ListItem> { root };
        var isDigit = false;
        var start = 0;
        for (var i = 0; i < lower.Length; i++)
        {
            var c = lower[i];
            if (c == '.')
            {
                list.Add(i == start ? IntItem.Zero : ParseItem(isDigit, lower[start..i]));
                start = i + 1;
            }
            else if (c == '-')
            {
                list.Add(i == start ? IntItem.Zero : ParseItem(isDigit, lower[start..i]));
                start = i + 1;
                if (!Push(ref list, stack, out reason)) return false;
            }
            else if (char.IsAsciiDigit(c))
            {
                if (!isDigit && i > start)
                {
                    // 1.0.0.X1 < 1.0.0-X2: treat .X as -X for any string qualifier X
                    if (list.Count > 0 && !Push(ref list, stack, out reason)) return false;
                    list.Add(new StringItem(lower[start..i], followedByDigit: true));
                    start = i;
                    if (!Push(ref list, stack, out reason)) return false;
                }
                isDigit = true;
            }
            else
            {
                if (isDigit && i > start)
                {
                    list.Add(ParseItem(true, lower[start..i]));
                    start = i;
                    if (!Push(ref list, stack, out reason)) return false;
                }
                isDigit = false;
            }
        }
        if (lower.Length > start)
        {
            // 1.0.0.X1 < 1.0.0-X2: treat .X as -X for any string qualifier X
            if (!isDigit && list.Count > 0 && !Push(ref list, stack, out reason)) return false;
            list.Add(ParseItem(isDigit, lower[start..]));
        }
        for (var i = stack.Count - 1; i >= 0; i--) stack[i].Normalize();
        version = new MavenVersion(text, root);
        return true;
    }

    private static bool Push(ref ListItem list, List<ListItem> stack, out string? reason)
    {
        reason = null;
        if (stack.Count >= MaxDepth)
        {
            reason = $"more than {MaxDepth} nested parts ('-' or digit/letter changes)";
            return false;
        }
        var inner = new ListItem();
        list.Add(inner);
        list = inner;
        stack.Add(inner);
        return true;
    }

    private static Item ParseItem(bool isDigit, string buf) =>
        isDigit ? new IntItem(buf.TrimStart('0')) : new StringItem(buf, followedByDigit: false);

    public int CompareTo(MavenVersion? other) => other is null ? 1 : _items.CompareTo(other._items);

    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        MavenVersion v => CompareTo(v),
        _ => throw new ArgumentException($"Cannot compare a Maven version with {obj.GetType().Name}.", nameof(obj)),
    };

    public bool Equals(MavenVersion? other) => other is not null && CompareTo(other) == 0;
    public override bool Equals(object? obj) => obj is MavenVersion v && Equals(v);
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Canonical);
    public override string ToString() => Text;

    public static bool operator ==(MavenVersion? a, MavenVersion? b) => a is null ? b is null : a.Equals(b);
    public static bool operator !=(MavenVersion? a, MavenVersion? b) => !(a == b);
    public static bool operator <(MavenVersion a, MavenVersion b) => a.CompareTo(b) < 0;
    public static bool operator >(MavenVersion a, MavenVersion b) => a.CompareTo(b) > 0;
    public static bool operator <=(MavenVersion a, MavenVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >=(MavenVersion a, MavenVersion b) => a.CompareTo(b) >= 0;

    /// One item of ComparableVersion; "other is null" stands for a missing item past the end of a shorter list.
    private abstract class Item
    {
        public abstract bool IsNull { get; }
        public abstract int CompareTo(Item? other);
    }

    /// A number of any size, kept as digits without leading zeros (Maven's Int/Long/BigInteger items order the same way).
    private sealed class IntItem(string digits) : Item
    {
        public static readonly IntItem Zero = new("");
        private readonly string _digits = digits;
        public override bool IsNull => _digits.Length == 0;

        public override int CompareTo(Item? other) => other switch
        {
            null => IsNull ? 0 : 1,
            IntItem i => _digits.Length != i._digits.Length
                ? _digits.Length.CompareTo(i._digits.Length)
                : Math.Sign(string.CompareOrdinal(_digits, i._digits)),
            _ => 1, // a number is newer than a qualifier or a nested list
        };

        public override string ToString() => _digits.Length == 0 ? "0" : _digits;
    }

    private sealed class StringItem : Item
    {
        private static readonly string[] Qualifiers = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];
        private const string ReleaseIndex = "5";
        private readonly string _value;
        private readonly string _comparable;

        public StringItem(string value, bool followedByDigit)
        {
            if (followedByDigit && value.Length == 1)
                value = value[0] switch { 'a' => "alpha", 'b' => "beta", 'm' => "milestone", _ => value };
            _value = value switch { "ga" or "final" or "release" => "", "cr" => "rc", _ => value };
            var index = Array.IndexOf(Qualifiers, _value);
            // known qualifiers by position; unknown ones after all of them, lexically
            _comparable = index >= 0 ? index.ToString(System.Globalization.CultureInfo.InvariantCulture) : Qualifiers.Length + "-" + _value;
        }

        public override bool IsNull => _comparable == ReleaseIndex;

        public override int CompareTo(Item? other) => other switch
        {
            null => Math.Sign(string.CompareOrdinal(_comparable, ReleaseIndex)),
            IntItem => -1,
            StringItem s => Math.Sign(string.CompareOrdinal(_comparable, s._comparable)),
            _ => -1, // a qualifier is older than a nested list
        };

        public override string ToString() => _value;
    }

    private sealed class ListItem : Item
    {
        private readonly List<Item> _items = [];
        public int Count => _items.Count;
        public void Add(Item item) => _items.Add(item);
        public override bool IsNull => _items.Count == 0;

        /// Drops trailing null items (0, "", empty list), looking through trailing nested lists.
        public void Normalize()
        {
            for (var i = _items.Count - 1; i >= 0; i--)
            {
                var last = _items[i];
                if (last.IsNull) _items.RemoveAt(i);
                else if (last is not ListItem) break;
            }
        }

        public override int CompareTo(Item? other)
        {
            switch (other)
            {
                case null:
                    // the whole list against nothing, not only its first item (as Maven 3.8 does)
                    foreach (var item in _items)
                    {
                        var c = item.CompareTo(null);
                        if (c != 0) return c;
                    }
                    return 0;
                case IntItem:
                    return -1;
                case StringItem:
                    return 1;
            }
            var right = ((ListItem)other)._items;
            var n = Math.Max(_items.Count, right.Count);
            for (var i = 0; i < n; i++)
            {
                var l = i < _items.Count ? _items[i] : null;
                var r = i < right.Count ? right[i] : null;
                var result = l is null ? (r is null ? 0 : -r.CompareTo(null)) : l.CompareTo(r);
                if (result != 0) return result;
            }
            return 0;
        }

        public override string ToString()
        {
            var sb = new StringBuilder();
            foreach (var item in _items)
            {
                if (sb.Length > 0) sb.Append(item is ListItem ? '-' : '.');
                sb.Append(item.ToString());
            }
            return sb.ToString();
        }
    }
}
