// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Formats.Toml;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Python;

/// What a pyproject.toml says about the project a lockfile locks: its name and version and its direct dependencies,
/// each with the scope its group gives it. Reads PEP 621 [project], PEP 735 [dependency-groups], and the
/// Poetry, PDM and uv tool tables.
internal sealed class PyProject
{
    public string? Name { get; private set; }
    public string? Version { get; private set; }
    /// Direct dependencies by PEP 503 name; a name listed in several groups keeps its strongest scope.
    public Dictionary<string, Scope> Dependencies { get; } = new(StringComparer.Ordinal);
    /// Dependency group names and the scope they give: extras are Optional, development groups Dev.
    public Dictionary<string, Scope> Groups { get; } = new(StringComparer.Ordinal);

    public static PyProject Parse(string text)
    {
        var doc = TomlDocument.Parse(text);
        var p = new PyProject();
        var project = doc.GetTable("project");
        var tool = doc.GetTable("tool");
        var poetry = tool?.GetTable("poetry");
        p.Name = project?.GetString("name") ?? poetry?.GetString("name");
        p.Version = project?.GetString("version") ?? poetry?.GetString("version");

        p.Groups["default"] = Scope.Required;
        p.Groups["main"] = Scope.Required;
        foreach (var spec in project?.GetStrings("dependencies") ?? []) p.Add(spec, Scope.Required);
        foreach (var (group, value) in project?.GetTable("optional-dependencies") ?? TomlTable.None)
        {
            p.Groups[group] = Scope.Optional;
            if (value is TomlArray list) foreach (var spec in list.OfType<string>()) p.Add(spec, Scope.Optional);
        }
        foreach (var (group, value) in doc.GetTable("dependency-groups") ?? TomlTable.None)
        {
            p.Groups[group] = Scope.Dev;
            if (value is TomlArray list) foreach (var spec in list.OfType<string>()) p.Add(spec, Scope.Dev); // {include-group = …} entries add no names
        }

        if (poetry is not null)
        {
            foreach (var (name, value) in poetry.GetTable("dependencies") ?? TomlTable.None)
            {
                if (name == "python") continue; // the interpreter constraint, not a package
                var optional = value is TomlTable t && t.GetBoolean("optional") == true;
                p.AddName(name, optional ? Scope.Optional : Scope.Required);
            }
            foreach (var name in poetry.GetTable("dev-dependencies")?.Keys ?? []) p.AddName(name, Scope.Dev);
            foreach (var (group, value) in poetry.GetTable("group") ?? TomlTable.None)
            {
                var scope = group == "main" ? Scope.Required : Scope.Dev;
                p.Groups[group] = scope;
                foreach (var name in (value as TomlTable)?.GetTable("dependencies")?.Keys ?? []) p.AddName(name, scope);
            }
        }
        foreach (var (group, value) in tool?.GetTable("pdm")?.GetTable("dev-dependencies") ?? TomlTable.None)
        {
            p.Groups[group] = Scope.Dev;
            if (value is TomlArray list) foreach (var spec in list.OfType<string>()) p.Add(spec, Scope.Dev);
        }
        if (tool?.GetTable("uv") is { } uv)
        {
            p.Groups["dev"] = Scope.Dev;
            foreach (var spec in uv.GetStrings("dev-dependencies")) p.Add(spec, Scope.Dev);
        }
        return p;
    }

    private void Add(string spec, Scope scope)
    {
        if (PythonRequirement.TryParse(spec, out var r)) AddName(r.Name, scope);
    }

    private void AddName(string name, Scope scope)
    {
        var n = PythonNames.Normalise(name);
        Dependencies[n] = Dependencies.TryGetValue(n, out var s) ? (Scope)Math.Min((int)s, (int)scope) : scope;
    }
}

/// Scopes from a dependency graph: a package gets the strongest scope of any path from the project's direct dependencies.
internal static class ScopeWalk
{
    // loops rather than LINQ over (T, Scope) tuples: each such LINQ instantiation is JIT-compiled at start
    public static Dictionary<T, Scope> Run<T>(List<(T Node, Scope Scope)> starts, Func<T, IEnumerable<T>> edges) where T : notnull
    {
        var result = new Dictionary<T, Scope>();
        // Required first, then Optional, then Dev: a node reached by a stronger scope is never weakened
        foreach (var scope in new[] { Scope.Required, Scope.Optional, Scope.Dev })
        {
            var queue = new Queue<T>();
            foreach (var (node, s) in starts)
                if (s == scope && !result.ContainsKey(node)) queue.Enqueue(node);
            foreach (var n in queue) result[n] = scope;
            while (queue.Count > 0)
            {
                foreach (var next in edges(queue.Dequeue()))
                {
                    if (result.ContainsKey(next)) continue;
                    result[next] = scope;
                    queue.Enqueue(next);
                }
            }
        }
        return result;
    }
}
