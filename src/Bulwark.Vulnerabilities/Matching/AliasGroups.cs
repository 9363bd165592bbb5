// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Vulnerabilities.Matching;

/// Groups items whose id sets overlap, transitively (GHSA-x aliases CVE-1, PYSEC-y aliases CVE-1: one group).
internal static class AliasGroups
{
    /// <paramref name="id"/>: an item's own id; <paramref name="aliases"/>: the other ids it is known by.
    public static List<List<T>> Group<T>(IReadOnlyList<T> items, Func<T, string> id, Func<T, IReadOnlyList<string>> aliases)
    {
        // one item is one group: the common case (a package matched by a single record per vulnerability) needs no index
        if (items.Count == 1) return [[items[0]]];
        var parent = new int[items.Count];
        for (var i = 0; i < parent.Length; i++) parent[i] = i;
        int Find(int i)
        {
            while (parent[i] != i) i = parent[i] = parent[parent[i]];
            return i;
        }

        if (items.Count <= 8)
        {
            // a few items: compared pairwise, without an index (one per package with several matching records)
            for (var i = 1; i < items.Count; i++)
                for (var j = 0; j < i; j++)
                    if (Overlap(items[i], items[j], id, aliases))
                    {
                        var (a, b) = (Find(i), Find(j));
                        if (a != b) parent[Math.Max(a, b)] = Math.Min(a, b);
                    }
            return Collect(items, Find);
        }

        var owner = new Dictionary<string, int>(StringComparer.Ordinal);
        void Claim(string name, int i)
        {
            if (owner.TryGetValue(name, out var other))
            {
                var (a, b) = (Find(i), Find(other));
                if (a != b) parent[Math.Max(a, b)] = Math.Min(a, b);
            }
            else
            {
                owner[name] = i;
            }
        }

        for (var i = 0; i < items.Count; i++)
        {
            Claim(id(items[i]), i);
            var names = aliases(items[i]);
            for (var k = 0; k < names.Count; k++) Claim(names[k], i);
        }

        return Collect(items, Find);
    }

    private static bool Overlap<T>(T x, T y, Func<T, string> id, Func<T, IReadOnlyList<string>> aliases)
    {
        var (xa, ya) = (aliases(x), aliases(y));
        var (xi, yi) = (id(x), id(y));
        if (xi == yi) return true;
        for (var k = 0; k < ya.Count; k++) if (ya[k] == xi) return true;
        for (var k = 0; k < xa.Count; k++)
        {
            if (xa[k] == yi) return true;
            for (var l = 0; l < ya.Count; l++) if (xa[k] == ya[l]) return true;
        }
        return false;
    }

    /// The groups in the order of their first items.
    private static List<List<T>> Collect<T>(IReadOnlyList<T> items, Func<int, int> find)
    {
        var groups = new List<List<T>>();
        var groupOfRoot = new int[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var root = find(i);
            // roots are the smallest index of their group, so a group's root comes before (or is) its other items
            if (root == i)
            {
                groupOfRoot[i] = groups.Count;
                groups.Add([items[i]]);
            }
            else
            {
                groups[groupOfRoot[root]].Add(items[i]);
            }
        }
        return groups;
    }
}
