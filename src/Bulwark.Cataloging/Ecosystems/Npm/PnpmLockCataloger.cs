// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;
using YamlDotNet.RepresentationModel;

namespace Bulwark.Cataloging.Ecosystems.Npm;

/// Reads pnpm-lock.yaml, lockfile versions 5, 6 and 9 (https://github.com/pnpm/spec/tree/master/lockfile).
/// Package keys are "/name/1.2.3_peer@1" (5), "/name@1.2.3(peer@1)" (6) and "name@1.2.3(peer@1)" (9); the peer
/// suffix names an install variant of the same package, so variants become one package. Version 9 moved the
/// dependency edges to "snapshots" and dropped the dev/optional flags, so its scopes come from the graph.
public sealed class PnpmLockCataloger : ICataloger, IReadsNeighbours
{
    public string Name => "pnpm-lock";

    /// Reads the package.json of each importer.
    public bool MayRead(FilePath path) => path.FileName == "package.json";

    public bool Wants(FilePath path) => path.FileName == "pnpm-lock.yaml" && !path.HasDirectorySegment("node_modules");

    public async Task<IReadOnlyList<Package>> ReadAsync(CatalogInput input, CancellationToken ct)
    {
        var text = await input.ReadTextAsync(ct).ConfigureAwait(false);
        var doc = YamlText.LoadMapping(text, "pnpm install");
        if (doc is null) return []; // an empty file: nothing locked
        var major = MajorVersion(doc);
        var lockfile = new Lockfile(major);

        // packages: one entry per name and version, whatever peer variants exist
        foreach (var (key, value, keyNode) in YamlText.Pairs(YamlText.Get(doc, "packages")))
        {
            var entry = lockfile.Add(key, value, YamlText.Line(keyNode));
            if (major < 9)
            {
                // as in package-lock.json: "dev: true" (even with "optional") means only the dev tree needs it;
                // "dev: false" means only production; no "dev" key means both
                var scope = YamlText.True(value, "dev") ? Scope.Dev
                    : YamlText.True(value, "optional") ? Scope.Optional : Scope.Required;
                // peer variants share the entry: the strongest need among them wins
                entry.Scope = entry.ScopeIsStated && entry.Scope < scope ? entry.Scope : scope;
                entry.ScopeIsStated = true;
            }
        }
        // version 9: the edges of each variant
        foreach (var (key, value, keyNode) in YamlText.Pairs(YamlText.Get(doc, "snapshots")))
            lockfile.Add(key, value, YamlText.Line(keyNode));

        var edgeSources = major >= 9 ? YamlText.Get(doc, "snapshots") : YamlText.Get(doc, "packages");
        foreach (var (key, value, _) in YamlText.Pairs(edgeSources))
        {
            var from = lockfile.Find(key)!;
            foreach (var (n, v) in YamlText.StringMap(value, "dependencies")) lockfile.AddEdge(from, lockfile.Resolve(n, v), Scope.Required);
            foreach (var (n, v) in YamlText.StringMap(value, "optionalDependencies")) lockfile.AddEdge(from, lockfile.Resolve(n, v), Scope.Optional);
        }

        // importers: the project and its workspace members; before version 9 a single project keeps them at the top level
        var importers = new List<(string Key, YamlNode Value)>();
        foreach (var (key, value, _) in YamlText.Pairs(YamlText.Get(doc, "importers"))) importers.Add((key, value));
        if (importers.Count == 0) importers.Add((".", doc));
        var projects = new Dictionary<string, NpmEntry>(StringComparer.Ordinal);
        foreach (var (path, _) in importers)
        {
            var dir = NormaliseImporter(path);
            var manifestPath = input.Path.Resolve((dir.Length == 0 ? "" : dir + "/") + "package.json");
            var manifest = manifestPath is { } mp ? await PackageJson.TryReadAsync(input, mp, ct).ConfigureAwait(false) : null;
            var name = manifest?.Name ?? (dir.Length == 0 ? "" : dir[(dir.LastIndexOf('/') + 1)..]);
            var project = new NpmEntry(name, manifest?.Version ?? "") { IsRoot = true };
            if (dir.Length > 0) project.Source = "workspace";
            foreach (var l in manifest?.Licenses ?? []) project.AddLicense(l);
            projects[dir] = project;
        }
        foreach (var (path, value) in importers)
        {
            var dir = NormaliseImporter(path);
            var project = projects[dir];
            foreach (var (block, scope) in (ReadOnlySpan<(string, Scope)>)[("dependencies", Scope.Required), ("optionalDependencies", Scope.Optional), ("devDependencies", Scope.Dev)])
            {
                foreach (var (n, v) in YamlText.StringMap(value, block))
                {
                    var target = v.StartsWith("link:", StringComparison.Ordinal)
                        ? (Relative(dir, v[5..]) is { } linked ? projects.GetValueOrDefault(linked) : null)
                        : lockfile.Resolve(n, v);
                    lockfile.AddEdge(project, target, scope);
                }
            }
        }

        if (major >= 9) DependencyScopes.Assign([.. projects.Values], lockfile.Edges);
        foreach (var (from, edges) in lockfile.Edges)
        {
            foreach (var (to, _) in edges) if (!from.DependsOn.Contains(to)) from.DependsOn.Add(to);
        }
        var entries = lockfile.Entries.Concat(projects.Values.Where(p => p.Name.Length > 0));
        return NpmEntry.ToPackages(entries, input);
    }

    private static int MajorVersion(YamlMappingNode doc)
    {
        var text = YamlText.Str(doc, "lockfileVersion")
            ?? throw new InputException($"line {YamlText.Line(doc)}: pnpm-lock.yaml has no lockfileVersion. Run 'pnpm install' to rebuild it.");
        var dot = text.IndexOf('.');
        if (!int.TryParse(dot < 0 ? text : text[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out var major) || major < 3)
            throw new InputException($"line {YamlText.Line(doc)}: lockfileVersion '{text}' is not one this reader knows (5, 6, 9). Run 'pnpm install' with a current pnpm.");
        return major;
    }

    /// Resolves "../lib" against an importer folder ("packages/app" gives "packages/lib"); null if it leaves the root.
    private static string? Relative(string dir, string relative) =>
        new FilePath(dir.Length == 0 ? "package.json" : dir + "/package.json").Resolve(relative)?.Value;

    private static string NormaliseImporter(string path) => new FilePath(path == "." ? "" : path).Value;

    private sealed class Lockfile(int major)
    {
        private readonly Dictionary<string, NpmEntry> _byKey = new(StringComparer.Ordinal);
        public List<NpmEntry> Entries { get; } = [];
        public Dictionary<NpmEntry, List<(NpmEntry To, Scope Scope)>> Edges { get; } = new(ReferenceEqualityComparer.Instance);

        /// Records a packages/snapshots entry; peer variants of one name and version share an entry.
        public NpmEntry Add(string rawKey, YamlNode value, int line)
        {
            var key = rawKey.TrimStart('/');
            var baseKey = WithoutPeers(key);
            if (!_byKey.TryGetValue(baseKey, out var entry))
            {
                var (name, version) = SplitKey(baseKey);
                entry = new NpmEntry(name, version) { Line = line };
                _byKey[baseKey] = entry;
                Entries.Add(entry);
            }
            _byKey.TryAdd(key, entry);
            // non-registry packages (git, tarball, directory) state their real name and version
            if (YamlText.Str(value, "name") is { Length: > 0 } realName && realName != entry.Name)
            {
                entry.Alias ??= entry.Name;
                entry.Name = realName;
            }
            if (YamlText.Str(value, "version") is { Length: > 0 } realVersion) entry.Version = realVersion;
            if (YamlText.Get(value, "resolution") is YamlMappingNode resolution) ReadResolution(entry, resolution);
            return entry;
        }

        public NpmEntry? Find(string rawKey)
        {
            var key = rawKey.TrimStart('/');
            return _byKey.TryGetValue(key, out var e) ? e : _byKey.GetValueOrDefault(WithoutPeers(key));
        }

        /// The entry a dependency "name: value" points at: value is a version (with peers), or a whole key
        /// for aliases and non-registry packages ("/real/1.2.3", "real@1.2.3", "github.com/a/b/sha").
        public NpmEntry? Resolve(string name, string value)
        {
            if (Find(major >= 6 ? name + "@" + value : name + "/" + value) is { } direct) return direct;
            var aliased = Find(value);
            // "alias: real@1.2.3": the package is installed under another name
            if (aliased is not null && aliased.Name != name && aliased.Source is null) aliased.Alias ??= name;
            return aliased;
        }

        public void AddEdge(NpmEntry from, NpmEntry? to, Scope scope)
        {
            if (to is null) return;
            if (!Edges.TryGetValue(from, out var list)) Edges[from] = list = [];
            list.Add((to, scope));
        }

        private (string Name, string Version) SplitKey(string key)
        {
            if (major >= 6)
            {
                if (NpmSources.TrySplitNameAt(key, out var name, out var version)) return (name, CleanVersion(version));
                return (key, "");
            }
            var slash = key.LastIndexOf('/');
            return slash > 0 ? (key[..slash], CleanVersion(key[(slash + 1)..])) : (key, "");
        }

        // a key's "version" for a tarball or git dependency is its URL; the real version comes from the body
        private static string CleanVersion(string v) => v.Contains(':') || v.Contains('/') ? "" : v;

        private string WithoutPeers(string key)
        {
            var paren = key.IndexOf('(');
            if (paren > 0) key = key[..paren];
            if (major < 6)
            {
                // version 5 appends peers after '_' to the version segment: "/a/1.0.0_b@2.0.0"
                var slash = key.LastIndexOf('/');
                var underscore = key.IndexOf('_', slash + 1);
                if (underscore > 0) key = key[..underscore];
            }
            return key;
        }

        private static void ReadResolution(NpmEntry entry, YamlMappingNode resolution)
        {
            entry.Integrity ??= YamlText.Str(resolution, "integrity");
            if (YamlText.Str(resolution, "commit") is { } commit && YamlText.Str(resolution, "repo") is { } repo)
            {
                entry.Source = "git";
                entry.Resolved = repo + "#" + commit;
                if (entry.Version.Length == 0) entry.Version = commit;
            }
            else if (YamlText.Str(resolution, "tarball") is { } tarball)
            {
                entry.Resolved = tarball;
                entry.Source = NpmSources.Classify(tarball);
                if (entry.Version.Length == 0) entry.Version = NpmSources.VersionFromTarball(tarball, entry.Name);
            }
            else if (YamlText.Str(resolution, "directory") is not null || YamlText.Str(resolution, "type") == "directory")
            {
                entry.Source = "path";
            }
        }
    }
}
