// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.DotNet;

/// Marks as Dev the packages that a project reaches only through development-only references (PrivateAssets="all",
/// which restore records as suppressParent "All"): analyzers, source link, build tooling. A package that is also
/// reachable through a normal reference stays Required.
internal static class DevScope
{
    /// <paramref name="rootEdges"/> are the root project's direct references with their dev flag. Other local
    /// projects (IsRoot packages) count as normal starting points: their dependencies ship with them.
    public static List<Package> Apply(IReadOnlyCollection<Package> packages, Purl root, IEnumerable<(Purl Target, bool Dev)> rootEdges)
    {
        var byPurl = new Dictionary<Purl, Package>();
        foreach (var p in packages) byPurl.TryAdd(p.Purl, p);
        var edges = rootEdges.ToList();
        if (!edges.Any(e => e.Dev)) return [.. packages];

        var required = Reach(edges.Where(e => !e.Dev).Select(e => e.Target)
            .Concat(packages.Where(p => p.IsRoot && !p.Purl.Equals(root)).Select(p => p.Purl)), byPurl);
        var dev = Reach(edges.Where(e => e.Dev).Select(e => e.Target), byPurl);
        dev.ExceptWith(required);
        dev.Remove(root);
        return [.. packages.Select(p => dev.Contains(p.Purl) && !p.IsRoot ? p with { Scope = Scope.Dev } : p)];
    }

    private static HashSet<Purl> Reach(IEnumerable<Purl> starts, Dictionary<Purl, Package> byPurl)
    {
        var seen = new HashSet<Purl>();
        var stack = new Stack<Purl>(starts);
        while (stack.Count > 0)
        {
            var p = stack.Pop();
            if (!seen.Add(p)) continue;
            if (byPurl.TryGetValue(p, out var pkg))
                foreach (var d in pkg.DependsOn) if (!seen.Contains(d)) stack.Push(d);
        }
        return seen;
    }
}
