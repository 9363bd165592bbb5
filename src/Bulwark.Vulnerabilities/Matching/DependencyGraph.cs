// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using Bulwark.Core;

namespace Bulwark.Vulnerabilities.Matching;

/// The SBOM's dependency graph as seen from its roots (<see cref="Bulwark.Sbom.Sbom.SubjectDependencies"/>): one
/// breadth-first search gives every package its shortest path from a root. Roots and edges are visited in ordinal
/// purl order, so of several shortest paths the same one is always chosen.
/// Direct means the subject or a project root (<see cref="Package.IsRoot"/>: the package.json, pom.xml … itself) depends
/// on the package; a package the graph does not reach (an OS package in an image, a jar found on disk) has unknown
/// directness (null) and no path, as in an SBOM with no graph at all.
internal sealed class DependencyGraph
{
    private readonly bool _hasGraph;
    private readonly HashSet<Purl> _direct;
    private readonly Dictionary<Purl, Purl?> _parent;

    // sized up front: a large SBOM's tables are large objects, and each regrowth of one counts toward a full collection
    private DependencyGraph(bool hasGraph, int packages)
    {
        _hasGraph = hasGraph;
        _direct = new HashSet<Purl>(hasGraph ? packages : 0);
        _parent = new Dictionary<Purl, Purl?>(hasGraph ? packages : 0);
    }

    public static DependencyGraph From(Bulwark.Sbom.Sbom sbom)
    {
        var roots = sbom.SubjectDependencies;
        var hasEdges = !sbom.Subject.DependsOn.IsDefaultOrEmpty || sbom.Packages.Any(p => !p.DependsOn.IsDefaultOrEmpty);
        var graph = new DependencyGraph(hasEdges, sbom.Packages.Length);
        if (!graph._hasGraph) return graph;

        var edges = new Dictionary<Purl, ImmutableArray<Purl>>(sbom.Packages.Length);
        foreach (var p in sbom.Packages) edges[p.Purl] = p.DependsOn.IsDefault ? [] : p.DependsOn;
        var queue = new Queue<Purl>(sbom.Packages.Length);
        foreach (var p in sbom.Packages)
            if (p.IsRoot && !p.DependsOn.IsDefault) graph._direct.UnionWith(p.DependsOn);
        foreach (var root in roots.Distinct().OrderBy(r => r.ToString(), StringComparer.Ordinal))
        {
            graph._direct.Add(root);
            if (graph._parent.TryAdd(root, null)) queue.Enqueue(root);
        }
        while (queue.Count > 0)
        {
            var current = queue.Dequeue();
            if (!edges.TryGetValue(current, out var next)) continue;
            foreach (var child in next.OrderBy(c => c.ToString(), StringComparer.Ordinal))
                if (graph._parent.TryAdd(child, current)) queue.Enqueue(child);
        }
        return graph;
    }

    /// Whether the package is a direct dependency (null when the SBOM has no graph) and one shortest path, root first.
    /// Read-only once built, so safe to call from several threads.
    public (bool? Direct, ImmutableArray<Purl> Path) PathTo(Purl purl)
    {
        if (!_hasGraph || !_parent.ContainsKey(purl)) return (null, []);
        var path = new List<Purl>();
        for (Purl? at = purl; at is not null; at = _parent[at]) path.Add(at);
        path.Reverse();
        return (_direct.Contains(purl), [.. path]);
    }
}
