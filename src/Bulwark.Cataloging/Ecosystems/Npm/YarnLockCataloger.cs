// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;
using YamlDotNet.RepresentationModel;

namespace Bulwark.Cataloging.Ecosystems.Npm;

/// Reads yarn.lock: classic yarn's "# yarn lockfile v1" format and Yarn 2+ (berry) YAML with "__metadata".
/// A lockfile records no scopes, so the package.json beside it names the root and its devDependencies; packages
/// reachable only through devDependencies are Dev. Without a package.json every package is Required.
public sealed class YarnLockCataloger : ICataloger, IReadsNeighbours
{
    public string Name => "yarn-lock";

    /// Reads package.json beside the lockfile and those of workspaces.
    public bool MayRead(FilePath path) => path.FileName == "package.json";

    public bool Wants(FilePath path) => path.FileName == "yarn.lock" && !path.HasDirectorySegment("node_modules");

    public async Task<IReadOnlyList<Package>> ReadAsync(CatalogInput input, CancellationToken ct)
    {
        var text = await input.ReadTextAsync(ct).ConfigureAwait(false);
        var lockfile = IsBerry(text) ? await ReadBerryAsync(text, input, ct).ConfigureAwait(false) : ReadClassic(text);

        var manifest = await PackageJson.TryReadAsync(input, input.Path.Sibling("package.json"), ct).ConfigureAwait(false);
        NpmEntry? project = null;
        if (manifest is not null && lockfile.Workspaces.Count == 0)
        {
            // classic yarn does not list the project itself; package.json does
            project = new NpmEntry(manifest.Name ?? "", manifest.Version ?? "") { IsRoot = true };
            foreach (var l in manifest.Licenses) project.AddLicense(l);
            AddManifestEdges(lockfile, project, manifest);
            await AddClassicWorkspacesAsync(lockfile, manifest, input, ct).ConfigureAwait(false);
        }

        var roots = project is not null ? [project, .. lockfile.Workspaces] : lockfile.Workspaces;
        if (manifest is not null)
            DependencyScopes.Assign(roots, lockfile.Edges);
        foreach (var (from, edges) in lockfile.Edges)
        {
            foreach (var (to, _) in edges) if (!from.DependsOn.Contains(to)) from.DependsOn.Add(to);
        }

        var entries = lockfile.Entries.Concat(project is null ? [] : lockfile.Workspaces);
        // a project without a name in package.json is still a root for scopes, but has no purl to report
        if (project is { Name.Length: > 0 }) entries = entries.Append(project);
        return NpmEntry.ToPackages(entries, input);
    }

    /// Berry starts with a "__metadata:" mapping after its comment header; classic has no such key.
    private static bool IsBerry(string text)
    {
        // lines end at '\n' (yarn's own reader splits there; EnumerateLines would also cost the set-up of its search
        // for Unicode line separators, 2 ms at start)
        for (var start = 0; start < text.Length;)
        {
            var end = text.IndexOf('\n', start);
            if (end < 0) end = text.Length;
            var line = text.AsSpan(start, end - start);
            start = end + 1;
            if (line.IsEmpty || line[0] == '#' || line.IsWhiteSpace()) continue;
            return line.TrimEnd().SequenceEqual("__metadata:");
        }
        return false;
    }

    private sealed class Lockfile
    {
        public List<NpmEntry> Entries { get; } = [];
        public Dictionary<string, NpmEntry> BySpecifier { get; } = new(StringComparer.Ordinal);
        public Dictionary<NpmEntry, List<(NpmEntry To, Scope Scope)>> Edges { get; } = new(ReferenceEqualityComparer.Instance);
        public List<NpmEntry> Workspaces { get; } = [];

        /// The entry a "name" + range pair resolves to: the entry whose header lists "name@range".
        public NpmEntry? Resolve(string name, string range) =>
            BySpecifier.TryGetValue(name + "@" + range, out var e) ? e
            // berry writes "npm:" in keys; older berry lockfiles omit it in dependency ranges
            : !range.Contains(':') && BySpecifier.TryGetValue(name + "@npm:" + range, out e) ? e
            : null;

        public void AddEdge(NpmEntry from, NpmEntry? to, Scope scope)
        {
            if (to is null) return;
            if (!Edges.TryGetValue(from, out var list)) Edges[from] = list = [];
            list.Add((to, scope));
        }
    }

    /// Edges from a package.json; <paramref name="member"/> finds a workspace member by name (yarn links those
    /// instead of locking them).
    private static void AddManifestEdges(Lockfile lockfile, NpmEntry project, PackageJson manifest, Func<string, NpmEntry?>? member = null)
    {
        foreach (var (n, r) in manifest.Dependencies) lockfile.AddEdge(project, Resolve(n, r), Scope.Required);
        foreach (var (n, r) in manifest.PeerDependencies) lockfile.AddEdge(project, Resolve(n, r), Scope.Required);
        foreach (var (n, r) in manifest.OptionalDependencies) lockfile.AddEdge(project, Resolve(n, r), Scope.Optional);
        foreach (var (n, r) in manifest.DevDependencies) lockfile.AddEdge(project, Resolve(n, r), Scope.Dev);

        NpmEntry? Resolve(string name, string range) => lockfile.Resolve(name, range) ?? member?.Invoke(name);
    }

    /// Classic yarn.lock does not list workspace members. Members named by a plain folder in "workspaces" are
    /// read from their package.json; folders given by a pattern ("packages/*") cannot be listed through a file
    /// tree without walking all of it, so their dependencies keep the Required scope.
    private static async Task AddClassicWorkspacesAsync(Lockfile lockfile, PackageJson manifest, CatalogInput input, CancellationToken ct)
    {
        var members = new List<(NpmEntry Entry, PackageJson Manifest)>();
        foreach (var folder in manifest.Workspaces)
        {
            if (folder.AsSpan().IndexOfAny("*?[{!") >= 0) continue;
            if (input.Path.Resolve(folder.TrimEnd('/') + "/package.json") is not { } path) continue;
            var member = await PackageJson.TryReadAsync(input, path, ct).ConfigureAwait(false);
            if (member?.Name is not { Length: > 0 } name) continue;
            var entry = new NpmEntry(name, member.Version ?? "") { IsRoot = true, Source = "workspace" };
            foreach (var l in member.Licenses) entry.AddLicense(l);
            members.Add((entry, member));
            lockfile.Workspaces.Add(entry);
        }
        foreach (var (entry, member) in members)
        {
            AddManifestEdges(lockfile, entry, member, name => members.FirstOrDefault(m => m.Entry.Name == name).Entry);
        }
    }

    // classic: "a@^1, a@^1.1:" headers with version / resolved / integrity and dependency blocks
    private static Lockfile ReadClassic(string text)
    {
        var lockfile = new Lockfile();
        var parsed = YarnV1Lockfile.Parse(text);
        var byEntry = new List<(YarnLockEntry Raw, NpmEntry Entry)>();
        foreach (var raw in parsed)
        {
            NpmSources.TrySplitNameAt(raw.Specifiers[0], out var installName, out var range);
            var entry = new NpmEntry(installName, raw.Field("version") ?? "") { Line = raw.Line };
            if (NpmSources.TryParseAlias(range, out var realName, out _))
            {
                entry.Name = realName;
                entry.Alias = installName;
            }
            var resolved = raw.Field("resolved");
            if (resolved is null && (range.StartsWith("file:", StringComparison.Ordinal) || range.StartsWith("link:", StringComparison.Ordinal) || NpmSources.IsGit(range)))
                resolved = range;
            entry.Resolved = resolved;
            entry.Source = NpmSources.Classify(resolved);
            entry.Integrity = raw.Field("integrity");
            // a tarball URL's "#<sha1>" fragment is the tarball's SHA-1 (for git, the fragment is the commit)
            if (resolved is not null && entry.Source != "git" && resolved.LastIndexOf('#') is var hash and >= 0
                && Digest.TryCreate("sha1", resolved[(hash + 1)..], out var sha1))
                entry.Hashes.Add(sha1);
            foreach (var spec in raw.Specifiers) lockfile.BySpecifier.TryAdd(spec, entry);
            lockfile.Entries.Add(entry);
            byEntry.Add((raw, entry));
        }
        foreach (var (raw, entry) in byEntry)
        {
            foreach (var (n, r) in raw.Block("dependencies")) lockfile.AddEdge(entry, lockfile.Resolve(n, r), Scope.Required);
            foreach (var (n, r) in raw.Block("optionalDependencies")) lockfile.AddEdge(entry, lockfile.Resolve(n, r), Scope.Optional);
        }
        return lockfile;
    }

    // berry: YAML keyed by "a@npm:^1, a@npm:^1.1" with "resolution", "checksum", "languageName", "linkType"
    private static async Task<Lockfile> ReadBerryAsync(string text, CatalogInput input, CancellationToken ct)
    {
        var lockfile = new Lockfile();
        var root = YamlText.LoadMapping(text, "yarn install");
        var byEntry = new List<(YamlNode Raw, NpmEntry Entry)>();
        var workspacePaths = new Dictionary<NpmEntry, string>(ReferenceEqualityComparer.Instance);
        var patched = new List<(NpmEntry Patch, string Original)>();
        foreach (var (key, value, keyNode) in YamlText.Pairs(root))
        {
            if (key == "__metadata") continue;
            if (value is not YamlMappingNode)
                throw new InputException($"line {YamlText.Line(keyNode)}: entry \"{key}\" is not a mapping. Run 'yarn install' to rebuild yarn.lock.");
            var specifiers = key.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var resolution = YamlText.Str(value, "resolution")
                ?? throw new InputException($"line {YamlText.Line(keyNode)}: entry \"{key}\" has no resolution. Run 'yarn install' to rebuild yarn.lock.");
            if (!NpmSources.TrySplitNameAt(resolution, out var name, out var reference))
                throw new InputException($"line {YamlText.Line(keyNode)}: resolution \"{resolution}\" is not name@reference. Run 'yarn install' to rebuild yarn.lock.");
            var entry = new NpmEntry(name, YamlText.Str(value, "version") ?? "") { Line = YamlText.Line(keyNode) };
            if (specifiers.Length > 0 && NpmSources.TrySplitNameAt(specifiers[0], out var installName, out _) && installName != name)
                entry.Alias = installName;
            var colon = reference.IndexOf(':');
            var protocol = colon < 0 ? "" : reference[..colon];
            switch (protocol)
            {
                case "npm":
                    break; // the registry; berry does not record the tarball URL
                case "workspace":
                    entry.IsRoot = true;
                    entry.Source = "workspace";
                    workspacePaths[entry] = reference[(colon + 1)..];
                    lockfile.Workspaces.Add(entry);
                    break;
                case "patch":
                    // a registry package with a patch applied: same name and version, the patch noted
                    entry.Properties["yarn:patch"] = reference;
                    var inner = Uri.UnescapeDataString(reference[(colon + 1)..].Split('#')[0]);
                    patched.Add((entry, inner));
                    if (NpmSources.TrySplitNameAt(inner, out _, out var innerReference) && !innerReference.StartsWith("npm:", StringComparison.Ordinal))
                        entry.Source = NpmSources.Classify(innerReference);
                    break;
                default:
                    entry.Resolved = reference;
                    entry.Source = reference.Contains("#commit=", StringComparison.Ordinal) ? "git" : NpmSources.Classify(reference);
                    if (entry.Source is "path") entry.Resolved = null;
                    break;
            }
            if (YamlText.Str(value, "checksum") is { } checksum) entry.Properties["yarn:checksum"] = checksum; // yarn's hash of its zip cache file
            if (YamlText.Str(value, "linkType") == "soft" && entry.Source is null) entry.Source = "path";
            foreach (var spec in specifiers) lockfile.BySpecifier.TryAdd(spec, entry);
            lockfile.Entries.Add(entry);
            byEntry.Add((value, entry));
        }

        // the patched package is installed from the original: whatever scope reaches the patch reaches it
        foreach (var (patch, original) in patched)
            lockfile.AddEdge(patch, lockfile.BySpecifier.GetValueOrDefault(original), Scope.Required);
        foreach (var (raw, entry) in byEntry)
        {
            PackageJson? manifest = null;
            if (workspacePaths.TryGetValue(entry, out var wsPath) && input.Path.Resolve(wsPath + "/package.json") is { } manifestPath)
            {
                manifest = await PackageJson.TryReadAsync(input, manifestPath, ct).ConfigureAwait(false);
                if (manifest?.Version is { Length: > 0 } v) entry.Version = v;
                else if (entry.Version == "0.0.0-use.local") entry.Version = ""; // yarn's placeholder for an unversioned workspace
                foreach (var l in manifest?.Licenses ?? []) entry.AddLicense(l);
            }
            var meta = YamlText.Get(raw, "dependenciesMeta");
            foreach (var (n, r) in YamlText.StringMap(raw, "dependencies"))
            {
                var scope = YamlText.True(YamlText.Get(meta, n), "optional") ? Scope.Optional : Scope.Required;
                if (manifest is not null)
                {
                    // berry merges a workspace's devDependencies into "dependencies"; its package.json tells them apart
                    if (manifest.OptionalDependencies.Any(d => d.Key == n)) scope = Scope.Optional;
                    else if (!manifest.Dependencies.Any(d => d.Key == n) && manifest.DevDependencies.Any(d => d.Key == n)) scope = Scope.Dev;
                }
                lockfile.AddEdge(entry, lockfile.Resolve(n, r), scope);
            }
            foreach (var (n, r) in YamlText.StringMap(raw, "optionalDependencies")) lockfile.AddEdge(entry, lockfile.Resolve(n, r), Scope.Optional);
        }
        return lockfile;
    }
}
