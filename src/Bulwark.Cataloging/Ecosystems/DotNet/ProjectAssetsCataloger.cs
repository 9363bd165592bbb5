// SPDX-License-Identifier: Apache-2.0
using System.Text.Json;
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.DotNet;

/// Reads obj/project.assets.json (format versions 3 and 4), the graph restore resolved for one project.
///
/// `targets` holds, per target framework and per runtime identifier ("net8.0", "net8.0/linux-x64"), the resolved
/// packages and projects ("Name/Version") with their dependency ranges, which resolve to the version present in
/// the same target (falling back to the target without runtime identifier). `libraries` gives each package's
/// SHA-512 and local projects' paths. `project` describes the restoring project itself, the root: its name and
/// version, and per framework its direct references with `suppressParent`: a package that is reachable from the
/// root only through references whose suppressParent is "All" (PrivateAssets="all": analyzers, source link) is Dev.
public sealed class ProjectAssetsCataloger : ICataloger, IReadsNeighbours
{
    private const string Rebuild = "Run 'dotnet restore' to rebuild it.";

    public string Name => "nuget-project-assets";

    /// Reads the project above obj/ and what it imports.
    public bool MayRead(FilePath path) => DotNetFiles.MayRead(path);

    public bool Wants(FilePath path) => path.FileName == "project.assets.json";

    public async Task<IReadOnlyList<Package>> ReadAsync(CatalogInput input, CancellationToken ct)
    {
        using var doc = await DotNetFiles.ParseJsonAsync(input, Rebuild, ct).ConfigureAwait(false);
        var root = doc.RootElement;
        var version = DotNetFiles.FormatVersion(root, "project.assets.json", Rebuild);
        if (version is not (3 or 4))
            throw new InputException($"assets file version {version} is not supported (versions 3 and 4 are). Update Bulwark or run 'dotnet restore' with a matching SDK.");

        // libraries: type, hash and path of every package and project
        var libraries = new Dictionary<string, (string Type, string? Sha512, string? Path)>(StringComparer.OrdinalIgnoreCase);
        foreach (var lib in DotNetFiles.Members(root, "libraries", "project.assets.json"))
        {
            var where = $"libraries[\"{lib.Name}\"]";
            var value = DotNetFiles.Object(lib, "libraries");
            libraries[lib.Name] = (DotNetFiles.String(value, "type", where) ?? "package", DotNetFiles.String(value, "sha512", where), DotNetFiles.String(value, "path", where));
        }

        // targets: per framework, name → (key, dependencies)
        var targets = new Dictionary<string, Dictionary<string, (string Name, string Version, string Type, List<string> Dependencies)>>(StringComparer.OrdinalIgnoreCase);
        foreach (var target in DotNetFiles.Members(root, "targets", "project.assets.json"))
        {
            var where = $"targets[\"{target.Name}\"]";
            var entries = new Dictionary<string, (string, string, string, List<string>)>(StringComparer.OrdinalIgnoreCase);
            foreach (var e in DotNetFiles.Object(target, "targets").EnumerateObject())
            {
                var value = DotNetFiles.Object(e, where);
                var (name, v) = DotNetFiles.SplitLibraryKey(e.Name, where);
                var type = DotNetFiles.String(value, "type", $"{where}[\"{e.Name}\"]")
                    ?? (libraries.TryGetValue(e.Name, out var lib) ? lib.Type : "package");
                var deps = DotNetFiles.Members(value, "dependencies", $"{where}[\"{e.Name}\"]").Select(d => d.Name).ToList();
                entries[name] = (name, v, type, deps);
            }
            targets[target.Name] = entries;
        }

        (string Name, string Version, string Type, List<string> Dependencies)? Find(string target, string name)
        {
            if (targets[target].TryGetValue(name, out var entry)) return entry;
            var slash = target.IndexOf('/');
            return slash > 0 && targets.TryGetValue(target[..slash], out var baseEntries) && baseEntries.TryGetValue(name, out entry) ? entry : null;
        }

        var packages = new PackageSightings();
        void Add(Package p) => packages.Add(p);

        var project = root.TryGetProperty("project", out var pr) && pr.ValueKind == JsonValueKind.Object ? pr : default;
        var restore = project.ValueKind == JsonValueKind.Object && project.TryGetProperty("restore", out var rs) && rs.ValueKind == JsonValueKind.Object ? rs : default;
        var frameworks = DotNetFiles.Members(project, "frameworks", "project").ToList();
        var autoReferenced = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var rootEdges = new List<(Purl Target, bool Dev)>();

        foreach (var (targetName, entries) in targets)
        {
            foreach (var entry in entries.Values)
            {
                var dependsOn = entry.Dependencies.Select(d => Find(targetName, d)).OfType<(string Name, string Version, string Type, List<string>)>()
                    .Select(d => Ecosystem.NuGet.PurlFor(d.Name, d.Version)).Distinct();
                var key = $"{entry.Name}/{entry.Version}";
                var library = libraries.GetValueOrDefault(key);
                var package = Package.Create(Ecosystem.NuGet, entry.Name, entry.Version, input.Location) with { DependsOn = [.. dependsOn] };
                if (entry.Type == "project")
                {
                    package = (package with { IsRoot = true, Kind = PackageKind.Application })
                        .WithProperty("bulwark:source", "path")
                        .WithProperty("nuget:project-path", library.Path);
                }
                else
                {
                    package = (package with { Hashes = [.. DotNetFiles.Sha512(library.Sha512)] }).WithProperty("nuget:path", library.Path);
                }
                Add(package);
            }

            // the root's direct references in this target, with suppressParent from the matching framework
            var framework = MatchFramework(frameworks, targetName);
            var directDeps = DotNetFiles.Members(framework, "dependencies", $"project.frameworks").ToList();
            var suppressed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var d in directDeps)
            {
                var where = $"project.frameworks.dependencies[\"{d.Name}\"]";
                if (d.Value.ValueKind != JsonValueKind.Object) continue;
                if (IsAll(DotNetFiles.String(d.Value, "suppressParent", where))) suppressed.Add(d.Name);
                if (DotNetFiles.String(d.Value, "autoReferenced", where) == "true") autoReferenced.Add(d.Name);
            }
            foreach (var name in DirectNames(root, targetName, directDeps, restore, framework, libraries))
            {
                if (Find(targetName, name) is { } found)
                    rootEdges.Add((Ecosystem.NuGet.PurlFor(found.Name, found.Version), suppressed.Contains(name)));
            }
        }

        var rootName = DotNetFiles.String(restore, "projectName", "project.restore")
            ?? (DotNetFiles.String(restore, "projectPath", "project.restore") is { } pp ? MsBuildProject.FileStem(new FilePath(pp).FileName) : null)
            ?? DotNetFiles.DirectoryName(input.Tree, ParentOfObj(input.Path.Directory));
        var result = packages.Merged().Select(p => autoReferenced.Contains(p.Name) ? p.WithProperty("nuget:auto-referenced", "true") : p).ToList();
        if (rootName.Length == 0) return result;
        var rootPackage = (Package.Create(Ecosystem.NuGet, rootName, DotNetFiles.String(project, "version", "project"), input.Location) with
        {
            IsRoot = true,
            Kind = PackageKind.Application,
            DependsOn = [.. DotNetFiles.Targets(rootEdges)],
        }).WithProperty("bulwark:source", "path");
        result.Add(rootPackage);
        return DevScope.Apply(result, rootPackage.Purl, rootEdges);
    }

    /// project.frameworks is keyed by alias ("net8.0"); older targets by full name (".NETCoreApp,Version=v8.0").
    private static JsonElement MatchFramework(List<JsonProperty> frameworks, string targetName)
    {
        var slash = targetName.IndexOf('/');
        var name = slash < 0 ? targetName : targetName[..slash];
        var shortName = DotNetFiles.ShortFramework(name);
        foreach (var f in frameworks)
            if (f.Name.Equals(name, StringComparison.OrdinalIgnoreCase) || f.Name.Equals(shortName, StringComparison.OrdinalIgnoreCase)) return f.Value;
        return frameworks.Count == 1 ? frameworks[0].Value : default;
    }

    /// The root's direct references in a target: projectFileDependencyGroups ("Name >= 1.0") when present,
    /// else the framework's dependencies and its project references (matched by project path).
    private static IEnumerable<string> DirectNames(JsonElement root, string targetName, List<JsonProperty> directDeps, JsonElement restore,
        JsonElement framework, Dictionary<string, (string Type, string? Sha512, string? Path)> libraries)
    {
        var slash = targetName.IndexOf('/');
        var baseName = slash < 0 ? targetName : targetName[..slash];
        foreach (var group in DotNetFiles.Members(root, "projectFileDependencyGroups", "project.assets.json"))
        {
            if (!group.Name.Equals(baseName, StringComparison.OrdinalIgnoreCase)) continue;
            if (group.Value.ValueKind != JsonValueKind.Array)
                throw new InputException($"projectFileDependencyGroups[\"{group.Name}\"] is {group.Value.ValueKind}, expected an array. {Rebuild}");
            return group.Value.EnumerateArray()
                .Where(e => e.ValueKind == JsonValueKind.String)
                .Select(e => e.GetString()!.Split(' ', 2)[0])
                .Where(n => n.Length > 0)
                .ToList();
        }
        var names = directDeps.Select(d => d.Name).ToList();
        var alias = framework.ValueKind == JsonValueKind.Object ? DotNetFiles.String(framework, "targetAlias", "project.frameworks") : null;
        foreach (var f in DotNetFiles.Members(restore, "frameworks", "project.restore"))
        {
            if (alias is not null && !f.Name.Equals(alias, StringComparison.OrdinalIgnoreCase)) continue;
            foreach (var reference in DotNetFiles.Members(f.Value, "projectReferences", "project.restore.frameworks"))
            {
                var file = new FilePath(reference.Name).FileName;
                foreach (var (key, lib) in libraries)
                    if (lib.Type == "project" && lib.Path is { } path && new FilePath(path).FileName.Equals(file, StringComparison.OrdinalIgnoreCase))
                        names.Add(key.Split('/')[0]);
            }
        }
        return names;
    }

    private static bool IsAll(string? flags) =>
        flags is not null && flags.Split([',', ';'], StringSplitOptions.TrimEntries).Any(f => f.Equals("all", StringComparison.OrdinalIgnoreCase));

    private static string ParentOfObj(string directory)
    {
        var name = directory[(directory.LastIndexOf('/') + 1)..];
        if (!name.Equals("obj", StringComparison.OrdinalIgnoreCase)) return directory;
        var slash = directory.LastIndexOf('/');
        return slash < 0 ? "" : directory[..slash];
    }
}
