// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.DotNet;

/// Reads NuGet lock files (packages.lock.json, format versions 1 and 2; also packages.&lt;project&gt;.lock.json).
///
/// Per target framework (and runtime identifier, "net8.0/linux-x64") the file lists Direct, Transitive,
/// CentralTransitive and Project entries. A dependency range is resolved to the version of that package locked in the
/// same target framework (falling back to the framework without runtime identifier). Project entries are local
/// projects: they become roots with bulwark:source=path, their version being the lower bound of the ranges other
/// entries use for them ("[2026.8.0, )"), else the version their project file evaluates to. The lock's own project is
/// the root: its identity comes from the project file beside the lock when there is one (else the directory name),
/// and that project file also says which references are PrivateAssets="all" (Dev) and which projects are direct.
public sealed class PackagesLockCataloger : ICataloger, IReadsNeighbours
{
    private const string Rebuild = "Run 'dotnet restore --force-evaluate' to rebuild it.";

    public string Name => "nuget-packages-lock";

    /// Reads the project beside the lock file and what it imports.
    public bool MayRead(FilePath path) => DotNetFiles.MayRead(path);

    public bool Wants(FilePath path)
    {
        var name = path.FileName;
        return name == "packages.lock.json"
            || (name.StartsWith("packages.", StringComparison.Ordinal) && name.EndsWith(".lock.json", StringComparison.Ordinal) && name.Length > "packages..lock.json".Length);
    }

    private sealed record Entry(string Name, string Type, string? Resolved, string? ContentHash, List<(string Name, string Range)> Dependencies);

    public async Task<IReadOnlyList<Package>> ReadAsync(CatalogInput input, CancellationToken ct)
    {
        using var doc = await DotNetFiles.ParseJsonAsync(input, Rebuild, ct).ConfigureAwait(false);
        var root = doc.RootElement;
        var version = DotNetFiles.FormatVersion(root, "packages.lock.json", Rebuild);
        if (version is not (1 or 2))
            throw new InputException($"lock file version {version} is not supported (versions 1 and 2 are). Update Bulwark or regenerate the lock file.");

        var frameworks = new Dictionary<string, Dictionary<string, Entry>>(StringComparer.OrdinalIgnoreCase);
        foreach (var tfm in DotNetFiles.Members(root, "dependencies", "packages.lock.json"))
        {
            var where = $"dependencies[\"{tfm.Name}\"]";
            var entries = new Dictionary<string, Entry>(StringComparer.OrdinalIgnoreCase);
            foreach (var e in DotNetFiles.Object(tfm, "dependencies").EnumerateObject())
            {
                var value = DotNetFiles.Object(e, where);
                var ewhere = $"{where}[\"{e.Name}\"]";
                var type = DotNetFiles.String(value, "type", ewhere) ?? "Transitive";
                var resolved = DotNetFiles.String(value, "resolved", ewhere);
                if (type != "Project" && string.IsNullOrWhiteSpace(resolved))
                    throw new InputException($"{ewhere} has no \"resolved\" version. {Rebuild}");
                var deps = new List<(string Name, string Range)>();
                foreach (var d in DotNetFiles.Members(value, "dependencies", ewhere))
                    deps.Add((d.Name, DotNetFiles.StringValue(d, $"{ewhere}.dependencies")));
                entries[e.Name] = new Entry(e.Name, type, resolved, DotNetFiles.String(value, "contentHash", ewhere), deps);
            }
            frameworks[tfm.Name] = entries;
        }

        // packages.Foo.lock.json belongs to Foo.csproj (NuGet's convention for several projects in one folder)
        var fileName = input.Path.FileName;
        var preferred = fileName == "packages.lock.json" ? null : fileName["packages.".Length..^".lock.json".Length];
        var declared = await ProjectDeclarations.SiblingAsync(input, preferred, ct).ConfigureAwait(false);

        // local projects: casing and version from the ranges that point at them, then from the project file
        var projectNames = new HashSet<string>(frameworks.Values.SelectMany(f => f.Values).Where(e => e.Type == "Project").Select(e => e.Name), StringComparer.OrdinalIgnoreCase);
        var projectCasing = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var projectVersion = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        // loops, not LINQ, over the (name, range) tuples: each LINQ instantiation over a value tuple is JIT-compiled
        // at start and then runs unoptimised
        foreach (var entry in frameworks.Values.SelectMany(f => f.Values))
        {
            foreach (var (depName, range) in entry.Dependencies)
            {
                if (!projectNames.Contains(depName)) continue;
                projectCasing.TryAdd(depName, depName);
                if (NuGetVersion.LowerBound(range) is { } v) projectVersion.TryAdd(depName, v);
            }
        }
        foreach (var p in declared?.Projects ?? [])
        {
            projectCasing.TryAdd(p.Name, p.Name);
            if (p.Version.Length > 0) projectVersion.TryAdd(p.Name, p.Version);
        }
        var purls = new Dictionary<Entry, Purl>(ReferenceEqualityComparer.Instance);
        Purl ProjectPurl(string name) => Ecosystem.NuGet.PurlFor(
            projectCasing.GetValueOrDefault(name, name), projectVersion.GetValueOrDefault(name));

        Purl? Resolve(string tfm, string name)
        {
            var entries = frameworks[tfm];
            if (!entries.TryGetValue(name, out var entry))
            {
                var slash = tfm.IndexOf('/');
                if (slash < 0 || !frameworks.TryGetValue(tfm[..slash], out var baseEntries) || !baseEntries.TryGetValue(name, out entry)) return null;
            }
            // once per entry: a lock names each package again in every dependency list that refers to it
            if (!purls.TryGetValue(entry, out var purl))
                purls[entry] = purl = entry.Type == "Project" ? ProjectPurl(entry.Name) : Ecosystem.NuGet.PurlFor(entry.Name, entry.Resolved);
            return purl;
        }

        var packages = new PackageSightings();
        void Add(Package p) => packages.Add(p);

        var rootEdges = new List<(Purl Target, bool Dev)>();
        var devNames = new HashSet<string>((declared?.Packages ?? []).Where(d => d.Dev).Select(d => d.Name), StringComparer.OrdinalIgnoreCase);
        foreach (var (tfm, entries) in frameworks)
        {
            foreach (var entry in entries.Values)
            {
                var dependsOn = new List<Purl>(entry.Dependencies.Count);
                var seen = new HashSet<Purl>();
                foreach (var (name, _) in entry.Dependencies)
                    if (Resolve(tfm, name) is { } target && seen.Add(target)) dependsOn.Add(target);
                if (entry.Type == "Project")
                {
                    var purl = ProjectPurl(entry.Name);
                    var project = Package.Create(Ecosystem.NuGet, purl.Name, purl.Version, input.Location) with
                    {
                        IsRoot = true,
                        Kind = PackageKind.Application,
                        DependsOn = [.. dependsOn],
                    };
                    Add(project.WithProperty("bulwark:source", "path"));
                    continue;
                }
                var package = Package.Create(Ecosystem.NuGet, entry.Name, entry.Resolved, input.Location) with
                {
                    Hashes = [.. DotNetFiles.Sha512(entry.ContentHash)],
                    DependsOn = [.. dependsOn],
                };
                Add(package);
                if (entry.Type == "Direct") rootEdges.Add((package.Purl, devNames.Contains(entry.Name)));
            }
        }

        // direct project references: from the project file when we have it, else the projects no other project uses
        if (declared is not null)
        {
            foreach (var p in declared.Projects.Where(p => projectNames.Contains(p.Name)))
                rootEdges.Add((ProjectPurl(p.Name), p.Dev));
        }
        else
        {
            var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var e in frameworks.Values.SelectMany(f => f.Values))
                if (e.Type == "Project")
                    foreach (var (name, _) in e.Dependencies) used.Add(name);
            foreach (var name in projectNames.Where(n => !used.Contains(n)))
                rootEdges.Add((ProjectPurl(name), false));
        }

        var rootName = declared?.Name ?? DotNetFiles.DirectoryName(input.Tree, input.Path.Directory);
        if (rootName.Length == 0) return [.. packages.Merged()];  // a lock at the top of the tree with no project: no name for the root
        var rootPackage = (Package.Create(Ecosystem.NuGet, rootName, declared?.Version, input.Location) with
        {
            IsRoot = true,
            Kind = PackageKind.Application,
            DependsOn = [.. DotNetFiles.Targets(rootEdges)],
        }).WithProperty("bulwark:source", "path");
        Add(rootPackage);
        return DevScope.Apply(packages.Merged(), rootPackage.Purl, rootEdges);
    }
}
