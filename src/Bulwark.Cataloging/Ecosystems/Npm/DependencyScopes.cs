// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Npm;

/// Derives scopes from the dependency graph for lockfiles that do not state them (yarn, pnpm 9):
/// a package is Required when a path of required edges reaches it from a root, else Optional when a path of
/// required or optional edges does, else Dev when it is reachable at all (only through devDependencies).
/// Packages no root reaches keep their scope.
internal static class DependencyScopes
{
    /// <paramref name="edges"/> gives each entry's outgoing edges with the scope of each edge.
    // the edges as the catalogers keep them, a list per entry: enumerated as a List, not an IEnumerable of tuples (whose
    // interface enumerators the runtime JIT-compiles at start)
    public static void Assign(IReadOnlyList<NpmEntry> roots, Dictionary<NpmEntry, List<(NpmEntry To, Scope Scope)>> edges)
    {
        var assigned = new HashSet<NpmEntry>(ReferenceEqualityComparer.Instance);
        foreach (var level in (Scope[])[Scope.Required, Scope.Optional, Scope.Dev])
        {
            var queue = new Queue<NpmEntry>(roots);
            var seen = new HashSet<NpmEntry>(roots, ReferenceEqualityComparer.Instance);
            while (queue.Count > 0)
            {
                var node = queue.Dequeue();
                if (!edges.TryGetValue(node, out var outgoing)) continue;
                foreach (var (to, scope) in outgoing)
                {
                    if (scope > level || !seen.Add(to)) continue;
                    if (assigned.Add(to) && !to.IsRoot && !to.ScopeIsStated) to.Scope = level;
                    queue.Enqueue(to);
                }
            }
        }
    }
}
