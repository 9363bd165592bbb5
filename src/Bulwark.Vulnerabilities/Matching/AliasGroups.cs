// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Vulnerabilities.Matching;

/// Groups items whose id sets overlap, transitively (GHSA-x aliases CVE-1, PYSEC-y aliases CVE-1: one group).
internal static class AliasGroups
{
    public static List<List<T>> Group<T>(IReadOnlyList<T> items, Func<T, IEnumerable<string>> ids)
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

        var owner = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            foreach (var id in ids(items[i]))
            {
                if (owner.TryGetValue(id, out var other))
                {
                    var (a, b) = (Find(i), Find(other));
                    if (a != b) parent[Math.Max(a, b)] = Math.Min(a, b);
                }
                else
                {
                    owner[id] = i;
                }
            }
        }

        var groups = new Dictionary<int, List<T>>();
        var order = new List<int>();
        for (var i = 0; i < items.Count; i++)
        {
            var root = Find(i);
            if (!groups.TryGetValue(root, out var list))
            {
                groups[root] = list = [];
                order.Add(root);
            }
            list.Add(items[i]);
        }
        return [.. order.Select(r => groups[r])];
    }
}
