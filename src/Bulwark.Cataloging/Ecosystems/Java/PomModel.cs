// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Java;

/// A &lt;dependencyManagement&gt; entry after interpolation. Version is null when it could not be resolved.
internal sealed record ManagedDependency(string? Version, string? RawVersion, string? Scope, string? Optional);

/// A pom as Maven would see it without a network: the local parent chain merged in (properties, dependencies,
/// dependency management, licenses), local BOM imports applied, and every value interpolated in this pom's context
/// (Maven inherits first and interpolates after, so a parent's ${project.version} means the child's version).
internal sealed class PomModel
{
    public required FilePath Path { get; init; }
    public required PomDocument Document { get; init; }
    /// Local parents, nearest first, with their paths.
    public required IReadOnlyList<(PomDocument Document, FilePath Path)> Ancestors { get; init; }
    /// The first parent that is not in the tree (a remote parent such as spring-boot-starter-parent), or null.
    public PomParent? RemoteParent { get; init; }
    public required PomInterpolator Interpolator { get; init; }
    public string? GroupId { get; init; }
    public string? ArtifactId { get; init; }
    public string? Version { get; init; }
    /// Dependency management by "group:artifact:type:classifier".
    public required IReadOnlyDictionary<string, ManagedDependency> Managed { get; init; }
    /// BOM imports that are not in the tree ("group:artifact:version").
    public required IReadOnlyList<string> RemoteImports { get; init; }
    public required IReadOnlyList<string> Licenses { get; init; }

    public static string ManagementKey(string? groupId, string? artifactId, string? type, string? classifier) =>
        $"{groupId}:{artifactId}:{(string.IsNullOrEmpty(type) ? "jar" : type)}:{classifier}";

    /// Dependencies declared in this pom and inherited from its local parents (the nearest declaration wins),
    /// each with the path of the pom that declares it.
    public IEnumerable<(PomDependency Dependency, FilePath DeclaredIn)> Dependencies()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (doc, path) in Ancestors.Prepend((Document, Path)))
        {
            foreach (var d in doc.Dependencies)
            {
                if (seen.Add(PomResolver.ManagementKeyOf(d, Interpolator))) yield return (d, path);
            }
        }
    }
}

/// Builds <see cref="PomModel"/>s from the poms of one file tree, reading each file at most once. Parents are found
/// through &lt;relativePath&gt; (default ../pom.xml) and, like BOMs, among the modules of the poms above the file;
/// a local pom counts only when its coordinates match. Nothing is downloaded.
internal sealed class PomResolver(IFileTree tree)
{
    private const int MaxParents = 32;
    private const int MaxPomsRead = 512;
    private const int MaxImportDepth = 16;

    private readonly Dictionary<string, PomDocument?> _documents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PomModel> _models = new(StringComparer.Ordinal);
    private readonly HashSet<string> _building = new(StringComparer.Ordinal);
    private List<(PomDocument Document, FilePath Path)>? _reactor;
    private FilePath _start;

    /// The effective model of a pom that has already been parsed (the file being cataloged).
    public async Task<PomModel> ResolveAsync(FilePath path, PomDocument document, CancellationToken ct)
    {
        _documents[path.Value] = document;
        _start = path;
        return await BuildAsync(path, document, 0, ct).ConfigureAwait(false);
    }

    private async Task<PomModel> BuildAsync(FilePath path, PomDocument document, int importDepth, CancellationToken ct)
    {
        if (_models.TryGetValue(path.Value, out var cached)) return cached;
        _building.Add(path.Value);

        // the local parent chain, nearest first; a loop of parents ends the chain where it closes
        var ancestors = new List<(PomDocument Document, FilePath Path)>();
        var visited = new HashSet<string>(StringComparer.Ordinal) { path.Value };
        PomParent? remote = null;
        var (childDoc, childPath) = (document, path);
        while (childDoc.Parent is { } parent && ancestors.Count < MaxParents)
        {
            var found = await FindParentAsync(childPath, parent, ct).ConfigureAwait(false);
            if (found is null || !visited.Add(found.Value.Path.Value))
            {
                remote = found is null ? parent : null;
                break;
            }
            ancestors.Add(found.Value);
            (childDoc, childPath) = found.Value;
        }

        var chain = ancestors.Select(a => a.Document).Prepend(document).ToList();
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var doc in Enumerable.Reverse(chain))
        {
            foreach (var (k, v) in doc.Properties) properties[k] = v;
        }
        AddModelProperties(properties, document);
        var interpolator = new PomInterpolator(properties);

        // declared management: nearest pom wins; imported BOMs come after everything declared, first import wins
        var managed = new Dictionary<string, ManagedDependency>(StringComparer.Ordinal);
        var imports = new List<PomDependency>();
        foreach (var doc in chain)
        {
            foreach (var m in doc.ManagedDependencies)
            {
                var scope = interpolator.Resolve(m.Scope);
                if (scope == "import") { imports.Add(m); continue; }
                var key = ManagementKeyOf(m, interpolator);
                managed.TryAdd(key, new ManagedDependency(interpolator.Resolve(m.Version), m.Version, scope, interpolator.Resolve(m.Optional)));
            }
        }
        var remoteImports = new List<string>();
        foreach (var import in imports)
        {
            var (g, a, v) = (interpolator.Resolve(import.GroupId), interpolator.Resolve(import.ArtifactId), interpolator.Resolve(import.Version));
            var bom = g is null || a is null || v is null || importDepth >= MaxImportDepth
                ? null
                : await FindByCoordinatesAsync(g, a, v, ct).ConfigureAwait(false);
            // a BOM being built higher up the stack imports itself through a loop: skip it
            if (bom is null || _building.Contains(bom.Value.Path.Value))
            {
                if (bom is null) remoteImports.Add($"{g ?? import.GroupId}:{a ?? import.ArtifactId}:{v ?? import.Version}");
                continue;
            }
            var bomModel = await BuildAsync(bom.Value.Path, bom.Value.Document, importDepth + 1, ct).ConfigureAwait(false);
            foreach (var (k, m) in bomModel.Managed) managed.TryAdd(k, m);
            remoteImports.AddRange(bomModel.RemoteImports);
        }

        var model = new PomModel
        {
            Path = path,
            Document = document,
            Ancestors = ancestors,
            RemoteParent = remote,
            Interpolator = interpolator,
            GroupId = interpolator.Resolve(document.InheritedGroupId),
            ArtifactId = interpolator.Resolve(document.ArtifactId),
            Version = interpolator.Resolve(document.InheritedVersion),
            Managed = managed,
            RemoteImports = remoteImports,
            Licenses = chain.FirstOrDefault(d => d.Licenses.Count > 0)?.Licenses ?? [],
        };
        _building.Remove(path.Value);
        _models[path.Value] = model;
        return model;
    }

    public static string ManagementKeyOf(PomDependency d, PomInterpolator interpolator) =>
        PomModel.ManagementKey(interpolator.Resolve(d.GroupId) ?? d.GroupId, interpolator.Resolve(d.ArtifactId) ?? d.ArtifactId,
            interpolator.Resolve(d.Type) ?? d.Type, interpolator.Resolve(d.Classifier) ?? d.Classifier);

    // the model values Maven exposes as ${project.*} (and the deprecated ${pom.*} and bare forms)
    private static void AddModelProperties(Dictionary<string, string> properties, PomDocument doc)
    {
        void Add(string name, string? value)
        {
            if (value is null) return;
            properties[$"project.{name}"] = value;
            properties[$"pom.{name}"] = value;
            properties.TryAdd(name, value);
        }
        Add("groupId", doc.InheritedGroupId);
        Add("artifactId", doc.ArtifactId);
        Add("version", doc.InheritedVersion);
        Add("packaging", doc.Packaging ?? "jar");
        if (doc.Parent is { } p)
        {
            Add("parent.groupId", p.GroupId);
            Add("parent.artifactId", p.ArtifactId);
            Add("parent.version", p.Version);
        }
    }

    private async Task<(PomDocument Document, FilePath Path)?> FindParentAsync(FilePath child, PomParent parent, CancellationToken ct)
    {
        if (parent.GroupId is null || parent.ArtifactId is null || parent.Version is null) return null;
        // an empty <relativePath/> turns the local lookup off (Maven: "look the parent up in the repositories")
        if (parent.RelativePath != "")
        {
            var relative = parent.RelativePath ?? "../pom.xml";
            if (!relative.EndsWith(".xml", StringComparison.OrdinalIgnoreCase)) relative = relative.TrimEnd('/', '\\') + "/pom.xml";
            if (child.Resolve(relative) is { } candidatePath
                && await LoadAsync(candidatePath, ct).ConfigureAwait(false) is { } candidate
                && Matches(candidate, parent.GroupId, parent.ArtifactId, parent.Version))
            {
                return (candidate, candidatePath);
            }
        }
        return await FindByCoordinatesAsync(parent.GroupId, parent.ArtifactId, parent.Version, ct).ConfigureAwait(false);
    }

    private async Task<(PomDocument Document, FilePath Path)?> FindByCoordinatesAsync(string groupId, string artifactId, string version, CancellationToken ct)
    {
        foreach (var entry in await ReactorAsync(ct).ConfigureAwait(false))
        {
            if (Matches(entry.Document, groupId, artifactId, version)) return entry;
        }
        return null;
    }

    // coordinates as the pom states them, interpolated with its own properties only (enough for ${revision}-style versions)
    private static bool Matches(PomDocument doc, string groupId, string artifactId, string version)
    {
        var own = new Dictionary<string, string>(doc.Properties, StringComparer.Ordinal);
        AddModelProperties(own, doc);
        var interpolator = new PomInterpolator(own);
        return interpolator.Resolve(doc.ArtifactId) == artifactId
            && interpolator.Resolve(doc.InheritedGroupId) == groupId
            && interpolator.Resolve(doc.InheritedVersion) == version;
    }

    /// The poms a build of this tree could see: every pom.xml in a directory above the file being read, and their
    /// modules, recursively (bounded by <see cref="MaxPomsRead"/>).
    private async Task<List<(PomDocument Document, FilePath Path)>> ReactorAsync(CancellationToken ct)
    {
        if (_reactor is not null) return _reactor;
        _reactor = [];
        var pending = new Queue<FilePath>();
        var dir = _start.Directory;
        while (true)
        {
            pending.Enqueue(dir.Length == 0 ? new FilePath("pom.xml") : new FilePath($"{dir}/pom.xml"));
            if (dir.Length == 0) break;
            var slash = dir.LastIndexOf('/');
            dir = slash < 0 ? "" : dir[..slash];
        }
        var queued = new HashSet<string>(pending.Select(p => p.Value), StringComparer.Ordinal);
        while (pending.Count > 0 && _documents.Count < MaxPomsRead)
        {
            var path = pending.Dequeue();
            if (await LoadAsync(path, ct).ConfigureAwait(false) is not { } doc) continue;
            _reactor.Add((doc, path));
            foreach (var module in doc.Modules)
            {
                var relative = module.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) ? module : module.TrimEnd('/', '\\') + "/pom.xml";
                if (path.Resolve(relative) is { } modulePath && queued.Add(modulePath.Value)) pending.Enqueue(modulePath);
            }
        }
        return _reactor;
    }

    /// Reads and parses a pom of the tree; null when it is missing, too big or not a readable pom (a neighbour that
    /// cannot be read is a parent we cannot use, not a reason to reject the file being cataloged; when it is
    /// cataloged itself it is recorded as unreadable then).
    private async Task<PomDocument?> LoadAsync(FilePath path, CancellationToken ct)
    {
        if (_documents.TryGetValue(path.Value, out var known)) return known;
        if (_documents.Count >= MaxPomsRead) return null;
        PomDocument? doc = null;
        await using (var stream = tree.TryOpen(path))
        {
            if (stream is not null && await PomDocument.ReadTextAsync(stream, ct).ConfigureAwait(false) is { } text)
                doc = TryParse(text);
        }
        _documents[path.Value] = doc;
        return doc;
    }

    private static PomDocument? TryParse(string text)
    {
        try
        {
            return PomDocument.Parse(text);
        }
        catch (Exception e) when (e is System.Xml.XmlException or InputException)
        {
            return null;
        }
    }
}
