// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.DotNet;

/// A package a project file asks for. Version is empty unless the request pins one version (see
/// <see cref="NuGetVersion.Pinned"/>); Range holds a floating version or range, Unresolved the raw text when
/// MSBuild properties could not be evaluated.
internal sealed record DeclaredPackage(string Name, string Version, string? Range, string? Unresolved, bool Dev, bool Global,
    bool Central, FileLocation Location);

/// A local project a project file references (ProjectReference), with the identity restore would give it.
internal sealed record DeclaredProject(string Name, string Version, bool Dev, FilePath? Path, FileLocation Location);

/// What a project file declares once evaluated: its own identity, package references, project references.
internal sealed class ProjectDeclarations
{
    public required MsBuildProject Project { get; init; }
    public required string Name { get; init; }
    public required string Version { get; init; }
    public required IReadOnlyList<DeclaredPackage> Packages { get; init; }
    public required IReadOnlyList<DeclaredProject> Projects { get; init; }

    public static async Task<ProjectDeclarations> LoadAsync(IFileTree tree, FilePath path, string? text, string? layer, CancellationToken ct)
    {
        var project = await MsBuildProject.LoadAsync(tree, path, text, ct).ConfigureAwait(false);
        FileLocation Where(MsBuildItem item) => new(item.File.Value, item.Line, layer);

        var central = new Dictionary<string, MsBuildItem>(StringComparer.OrdinalIgnoreCase);
        foreach (var v in project.Items.Where(i => i.Type == "PackageVersion")) central[v.Include] = v;

        var packages = new List<DeclaredPackage>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        // a project's own PackageReference wins over a GlobalPackageReference of the same package
        foreach (var item in project.Items.Where(i => i.Type == "PackageReference").Concat(project.Items.Where(i => i.Type == "GlobalPackageReference")))
        {
            if (!seen.Add(item.Include)) continue;
            var global = item.Type == "GlobalPackageReference";
            // VersionOverride beats the central version; a Version on the reference itself is taken as written
            // (restore rejects it under central management with NU1008, but it states the author's intent)
            (string Raw, string? Value)? version = null;
            var isCentral = false;
            if (item.Get("VersionOverride") is { Raw.Length: > 0 } over) version = over;
            else if (item.Get("Version") is { Raw.Length: > 0 } own) version = own;
            else if (project.CentralVersionsAllowed && central.TryGetValue(item.Include, out var pv) && pv.Get("Version") is { } cv)
            {
                version = cv;
                isCentral = true;
            }
            // GlobalPackageReference is PrivateAssets="all" by definition (development tooling for every project)
            var dev = global || IsAll(item.Get("PrivateAssets")?.Value);
            var (pinned, range, unresolved) = Interpret(version);
            packages.Add(new DeclaredPackage(item.Include, pinned, range, unresolved, dev, global, isCentral, Where(item)));
        }

        var projects = new List<DeclaredProject>();
        foreach (var item in project.Items.Where(i => i.Type == "ProjectReference"))
        {
            var target = path.Resolve(item.Include);
            string name, version;
            if (target is { } t && DotNetFiles.ProjectExtensions.Contains(t.Extension))
            {
                var referenced = await MsBuildProject.LoadAsync(tree, t, null, ct).ConfigureAwait(false);
                (name, version) = (referenced.Name, referenced.Version);
            }
            else
            {
                name = MsBuildProject.FileStem(new FilePath(item.Include).FileName);
                version = "";
            }
            projects.Add(new DeclaredProject(name, version, IsAll(item.Get("PrivateAssets")?.Value), target, Where(item)));
        }

        return new ProjectDeclarations
        {
            Project = project,
            Name = project.Name,
            Version = project.Version,
            Packages = packages,
            Projects = projects,
        };
    }

    /// Loads the project file beside a lock file or packages.config, or returns null when there is none or it
    /// cannot be read. The project only names the root and marks dev references; a broken one must not make the
    /// lock unreadable (its own cataloger reports it).
    public static async Task<ProjectDeclarations?> SiblingAsync(CatalogInput input, string? preferredName, CancellationToken ct)
    {
        if (DotNetFiles.SiblingProject(input, preferredName) is not { } sibling) return null;
        try
        {
            return await LoadAsync(input.Tree, sibling, null, input.Location.Layer, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is System.Xml.XmlException or InputException)
        {
            return null;
        }
    }

    private static bool IsAll(string? privateAssets) =>
        privateAssets is not null && privateAssets.Split(';', StringSplitOptions.TrimEntries).Any(a => a.Equals("all", StringComparison.OrdinalIgnoreCase));

    private static (string Version, string? Range, string? Unresolved) Interpret((string Raw, string? Value)? version)
    {
        if (version is not { } v || string.IsNullOrWhiteSpace(v.Raw)) return ("", null, null);
        if (v.Value is null || v.Value.Length == 0) return ("", null, v.Raw.Trim());
        return NuGetVersion.Pinned(v.Value) is { } pinned ? (pinned, null, null) : ("", v.Value, null);
    }
}
