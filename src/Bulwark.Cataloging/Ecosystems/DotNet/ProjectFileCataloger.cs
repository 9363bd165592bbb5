// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.DotNet;

/// Reads package references from SDK-style project files (.csproj, .fsproj, .vbproj), with central package
/// management (Directory.Packages.props, VersionOverride, GlobalPackageReference) and simple MSBuild property
/// evaluation (see <see cref="MsBuildProject"/>). The project is the root; its references are what it asks for,
/// so versions are those it pins: a floating version or range leaves the version empty (property nuget:version-range),
/// an unevaluated property too (nuget:unresolved-version). When a lock file (or obj/project.assets.json) is beside
/// the project, a reference takes the id spelling and the single version restore resolved for it there
/// (nuget:resolved-by names that file when this changed the version), so that the run, which merges by purl,
/// merges the reference with the lock's package.
public sealed class ProjectFileCataloger : ICataloger, IReadsNeighbours
{
    public string Name => "nuget-project";

    /// Reads Directory.*.props/targets, imports, referenced projects, lock and assets files.
    public bool MayRead(FilePath path) => DotNetFiles.MayRead(path);

    public bool Wants(FilePath path) => DotNetFiles.ProjectExtensions.Contains(path.Extension);

    public async Task<IReadOnlyList<Package>> ReadAsync(CatalogInput input, CancellationToken ct)
    {
        var text = await input.ReadTextAsync(ct).ConfigureAwait(false);
        var declared = await ProjectDeclarations.LoadAsync(input.Tree, input.Path, text, input.Location.Layer, ct).ConfigureAwait(false);

        var packages = new PackageSightings();
        void Add(Package p) => packages.Add(p);

        // with a lock or assets file beside the project, references take the id spelling and version restore resolved
        var restored = await RestoredPackages.LoadAsync(input.Tree, declared.Project, ct).ConfigureAwait(false);
        var edges = new List<(Purl Target, bool Dev)>();
        foreach (var d in declared.Packages)
        {
            var (name, version) = (d.Name, d.Version);
            string? resolvedBy = null;
            if (restored?.Find(d.Name) is { } r)
            {
                name = r.Name;
                if (r.Version is { } v && v != version) (version, resolvedBy) = (v, restored.Source);
            }
            var p = Package.Create(Ecosystem.NuGet, name, version, d.Location)
                .WithProperty("nuget:resolved-by", resolvedBy)
                .WithProperty("nuget:version-range", d.Range)
                .WithProperty("nuget:unresolved-version", d.Unresolved)
                .WithProperty("nuget:global-package-reference", d.Global ? "true" : null)
                .WithProperty("nuget:central-version", d.Central ? "true" : null);
            Add(p);
            edges.Add((p.Purl, d.Dev));
        }
        foreach (var r in declared.Projects)
        {
            // restore's record of a referenced project wins over our evaluation (its project file may be out of the tree)
            var (name, version) = restored?.FindProject(r.Name) is { } rp ? rp : (r.Name, r.Version);
            var p = Package.Create(Ecosystem.NuGet, name, version, r.Location) with { IsRoot = true, Kind = PackageKind.Application };
            Add(p.WithProperty("bulwark:source", "path").WithProperty("nuget:project-path", r.Path?.Value));
            edges.Add((p.Purl, r.Dev));
        }

        var root = Package.Create(Ecosystem.NuGet, declared.Name, declared.Version, input.Location) with
        {
            IsRoot = true,
            Kind = PackageKind.Application,
            DependsOn = [.. edges.Select(e => e.Target).Distinct()],
        };
        Add(root.WithProperty("bulwark:source", "path").WithProperty("nuget:project-path", input.Path.Value));
        return DevScope.Apply(packages.Merged(), root.Purl, edges);
    }
}
