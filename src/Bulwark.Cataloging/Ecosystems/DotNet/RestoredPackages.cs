// SPDX-License-Identifier: Apache-2.0
using System.Text.Json;
using Bulwark.Cataloging.FileSources;

namespace Bulwark.Cataloging.Ecosystems.DotNet;

/// What restore resolved for a project, read from the lock file or assets file beside it: each package's id as
/// NuGet spells it and its resolved versions. A project file states requests ("2.*", "13.0.1" meaning 13.0.1 or
/// later, "yamldotnet"); with this, its references get the same purls as the lock's packages, so the run merges
/// them instead of listing each dependency twice.
internal sealed class RestoredPackages
{
    private readonly Dictionary<string, (string Name, SortedSet<string> Versions)> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, (string Name, string Version)> _projects = new(StringComparer.OrdinalIgnoreCase);

    public string Source { get; }

    private RestoredPackages(string source) => Source = source;

    /// The package's spelling and its one resolved version (null when restore resolved several, one per framework).
    public (string Name, string? Version)? Find(string name) =>
        _byName.TryGetValue(name, out var r) ? (r.Name, r.Versions.Count == 1 ? r.Versions.Min : null) : null;

    /// A referenced local project's name and version as restore recorded them, when it did.
    public (string Name, string Version)? FindProject(string name) => _projects.TryGetValue(name, out var p) ? p : null;

    /// Reads packages.lock.json (or the NuGetLockFilePath / packages.&lt;project&gt;.lock.json) beside the project, else
    /// obj/project.assets.json. A file that cannot be read gives nothing here: its own cataloger reports it.
    public static async Task<RestoredPackages?> LoadAsync(IFileTree tree, MsBuildProject project, CancellationToken ct)
    {
        var candidates = new List<FilePath>();
        if (project.Property("NuGetLockFilePath") is { Length: > 0 } custom && project.Path.Resolve(custom) is { } customPath) candidates.Add(customPath);
        candidates.Add(project.Path.Sibling("packages.lock.json"));
        candidates.Add(project.Path.Sibling($"packages.{MsBuildProject.FileStem(project.Path.FileName)}.lock.json"));
        foreach (var lockPath in candidates)
        {
            if (await TryParseAsync(tree, lockPath, ct).ConfigureAwait(false) is not { } doc) continue;
            using (doc)
            {
                var result = new RestoredPackages(lockPath.Value);
                var projects = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                foreach (var tfm in Objects(doc.RootElement, "dependencies"))
                    foreach (var entry in Objects(tfm.Value, null))
                    {
                        if (entry.Value.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "Project")
                            projects.Add(entry.Name);
                        else if (entry.Value.TryGetProperty("resolved", out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } version)
                            result.Add(entry.Name, version);
                    }
                // a project's version is the lower bound of the ranges that point at it ("Core": "[2026.8.0, )")
                foreach (var tfm in Objects(doc.RootElement, "dependencies"))
                    foreach (var entry in Objects(tfm.Value, null))
                        foreach (var dep in Objects(entry.Value, "dependencies", objectsOnly: false))
                            if (projects.Contains(dep.Name) && dep.Value.ValueKind == JsonValueKind.String && NuGetVersion.LowerBound(dep.Value.GetString()) is { } pv)
                                result._projects.TryAdd(dep.Name, (dep.Name, pv));
                return result;
            }
        }

        var assetsPath = project.Path.Sibling("obj/project.assets.json");
        if (await TryParseAsync(tree, assetsPath, ct).ConfigureAwait(false) is not { } assets) return null;
        using (assets)
        {
            var result = new RestoredPackages(assetsPath.Value);
            foreach (var library in Objects(assets.RootElement, "libraries"))
            {
                if (library.Value.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() is not ("package" or "project")) continue;
                var slash = library.Name.IndexOf('/');
                if (slash <= 0 || slash == library.Name.Length - 1) continue;
                var (name, version) = (library.Name[..slash], library.Name[(slash + 1)..]);
                if (library.Value.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "project")
                    result._projects.TryAdd(name, (name, version));
                else
                    result.Add(name, version);
            }
            return result;
        }
    }

    private void Add(string name, string version)
    {
        if (!_byName.TryGetValue(name, out var entry)) _byName[name] = entry = (name, new SortedSet<string>(StringComparer.Ordinal));
        entry.Versions.Add(version);
    }

    private static IEnumerable<JsonProperty> Objects(JsonElement parent, string? member, bool objectsOnly = true)
    {
        var value = parent;
        if (member is not null && (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(member, out value))) return [];
        return value.ValueKind == JsonValueKind.Object ? value.EnumerateObject().Where(p => !objectsOnly || p.Value.ValueKind == JsonValueKind.Object) : [];
    }

    private static async Task<JsonDocument?> TryParseAsync(IFileTree tree, FilePath path, CancellationToken ct)
    {
        try
        {
            return await JsonInput.TryParseAsync(tree, path, JsonInput.Lenient, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is JsonException or Core.InputException)
        {
            return null;  // reported as unreadable by the lock or assets cataloger
        }
    }
}
