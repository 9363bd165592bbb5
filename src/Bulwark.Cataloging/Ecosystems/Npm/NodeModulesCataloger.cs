// SPDX-License-Identifier: Apache-2.0
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Npm;

/// Reads installed packages: the package.json at the root of each node_modules/&lt;name&gt; or
/// node_modules/@scope/&lt;name&gt; folder (npm, yarn classic, and pnpm's node_modules/.pnpm store).
/// Edges follow Node's lookup from the package's folder upward, to the package.json that would be loaded.
/// A package.json does not say why it was installed: scopes come from npm's hidden lockfile
/// (node_modules/.package-lock.json, npm 7+) or the "_development"/"_optional" fields older npm wrote.
public sealed class NodeModulesCataloger : ICataloger, IReadsNeighbours
{
    // one hidden lockfile serves every package below it: read once per tree and project folder
    private readonly ConditionalWeakTable<IFileTree, ConcurrentDictionary<string, Lazy<Task<Dictionary<string, Scope>>>>> _hiddenLockfiles = new();
    // every package's dependencies are looked up in the same folders: each candidate manifest is read once per tree
    private readonly ConditionalWeakTable<IFileTree, ConcurrentDictionary<string, InstalledIdentity>> _installed = new();

    public string Name => "npm-installed";

    /// Reads npm's hidden lockfile and the package.json of installed dependencies.
    public bool MayRead(FilePath path) =>
        path.Value is "node_modules/.package-lock.json"
        || path.Value.EndsWith("/node_modules/.package-lock.json", StringComparison.Ordinal)
        || (path.FileName == "package.json" && path.HasDirectorySegment("node_modules"));

    public bool Wants(FilePath path) => path.FileName == "package.json" && IsPackageRoot(path.Value);

    /// True for ".../node_modules/a/package.json", ".../node_modules/@s/a/node_modules/b/package.json" and the
    /// pnpm store's "node_modules/.pnpm/a@1.0.0/node_modules/a/package.json"; false for package.json files deeper
    /// inside a package (test fixtures, dist folders), which are not installed packages.
    internal static bool IsPackageRoot(string path)
    {
        var segments = path.Split('/');
        var i = Array.IndexOf(segments, "node_modules");
        if (i < 0) return false;
        var last = segments.Length - 1; // "package.json"
        while (i < last && segments[i] == "node_modules")
        {
            i++;
            if (i < last && segments[i] == ".pnpm")
            {
                // the pnpm store: .pnpm/<name>@<version>/node_modules/…, or its hoisted .pnpm/node_modules/…
                i += segments[i + 1] == "node_modules" ? 1 : 2;
                continue;
            }
            if (i >= last || segments[i].Length == 0 || segments[i][0] == '.') return false;
            if (segments[i][0] == '@') i++;
            if (i >= last || segments[i].Length == 0 || segments[i][0] == '.') return false;
            i++;
            if (i == last) return true;
        }
        return false;
    }

    public async Task<IReadOnlyList<Package>> ReadAsync(CatalogInput input, CancellationToken ct)
    {
        PackageJson manifest;
        using (var doc = await JsonInput.ParseAsync(input, PackageJson.Options, ct).ConfigureAwait(false))
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return []; // not a manifest
            manifest = PackageJson.From(doc.RootElement);
        }
        // a package.json without a name and version describes no installable package (npm requires both to publish)
        if (string.IsNullOrEmpty(manifest.Name) || string.IsNullOrEmpty(manifest.Version)) return [];

        var dir = input.Path.Directory;
        var entry = new NpmEntry(manifest.Name, manifest.Version) { Integrity = manifest.Integrity, Resolved = manifest.Resolved };
        if (NpmSources.NameFromNodeModulesPath(dir) is { } folderName && folderName != manifest.Name) entry.Alias = folderName;
        entry.Source = NpmSources.Classify(manifest.Resolved);
        foreach (var l in manifest.Licenses) entry.AddLicense(l);
        entry.Scope = await HiddenLockfileScopeAsync(input.Tree, dir).ConfigureAwait(false) ?? manifest.InstallScope;

        foreach (var (dep, _) in manifest.Dependencies.Concat(manifest.OptionalDependencies).Concat(manifest.PeerDependencies))
        {
            if (await FindInstalledAsync(input, dir, dep, ct).ConfigureAwait(false) is { } target) entry.DependsOn.Add(target);
        }
        return NpmEntry.ToPackages([entry], input);
    }

    /// The scope npm recorded for the package folder <paramref name="dir"/> in the hidden lockfile of the project
    /// that owns its node_modules, or null when there is none or it does not list the folder.
    private async Task<Scope?> HiddenLockfileScopeAsync(IFileTree tree, string dir)
    {
        var at = dir.StartsWith("node_modules/", StringComparison.Ordinal) ? 0 : dir.IndexOf("/node_modules/", StringComparison.Ordinal);
        if (at < 0) return null;
        if (at > 0) at++; // past the '/'

        var project = dir[..at];
        var byLockfile = _hiddenLockfiles.GetValue(tree, _ => new(StringComparer.Ordinal));
        var scopes = await byLockfile.GetOrAdd(project + "node_modules/.package-lock.json",
            path => new Lazy<Task<Dictionary<string, Scope>>>(() => ReadHiddenLockfileAsync(tree, path))).Value.ConfigureAwait(false);
        return scopes.TryGetValue(dir[at..], out var scope) ? scope : null;
    }

    private static async Task<Dictionary<string, Scope>> ReadHiddenLockfileAsync(IFileTree tree, FilePath path)
    {
        var scopes = new Dictionary<string, Scope>(StringComparer.Ordinal);
        await using var stream = tree.TryOpen(path);
        if (stream is null) return scopes;
        try
        {
            CatalogInput.CheckNeighbourSize(path, stream);
            var bytes = await JsonInput.ReadAsync(stream, stream.CanSeek ? stream.Length : 0, CancellationToken.None).ConfigureAwait(false);
            using var doc = JsonInput.Parse(bytes, PackageJson.Options);
            if (!doc.RootElement.TryGetProperty("packages", out var packages) || packages.ValueKind != JsonValueKind.Object) return scopes;
            foreach (var p in packages.EnumerateObject())
            {
                scopes[p.Name] = PackageJson.True(p.Value, "dev") ? Scope.Dev
                    : PackageJson.True(p.Value, "optional") || PackageJson.True(p.Value, "devOptional") ? Scope.Optional
                    : Scope.Required;
            }
        }
        catch (Exception e) when (e is JsonException or InputException)
        {
            // npm itself ignores a hidden lockfile it cannot read and rebuilds it; so do we: no scopes from it
            scopes.Clear();
        }
        return scopes;
    }

    private async Task<NpmEntry?> FindInstalledAsync(CatalogInput input, string from, string dep, CancellationToken ct)
    {
        var known = _installed.GetValue(input.Tree, _ => new(StringComparer.Ordinal));
        foreach (var dir in NpmSources.LookupDirectories(from))
        {
            var candidate = NpmSources.NodeModulesPath(dir, dep) + "/package.json";
            if (!known.TryGetValue(candidate, out var found))
            {
                found = await LoadIdentityAsync(input, candidate, ct).ConfigureAwait(false);
                known[candidate] = found;
            }
            if (!found.Exists) continue;
            return found.Name is null ? null : new NpmEntry(found.Name, found.Version!);
        }
        return null; // not installed (an optional or peer dependency that was skipped)
    }

    private static async Task<InstalledIdentity> LoadIdentityAsync(CatalogInput input, FilePath path, CancellationToken ct)
    {
        if (!input.Tree.Exists(path)) return new(false, null, null);
        PackageJson? target;
        try
        {
            target = await PackageJson.TryParseAsync(input.Tree, path, ct).ConfigureAwait(false);
            if (target is null) return new(false, null, null);
        }
        catch (Exception e) when (e is JsonException or InputException)
        {
            // Node would stop here and fail to load it; that file's own read records it as unreadable
            return new(true, null, null);
        }
        return string.IsNullOrEmpty(target.Name) || string.IsNullOrEmpty(target.Version)
            ? new(true, null, null)
            : new(true, target.Name, target.Version);
    }

    /// What sits at a node_modules path: nothing, an unusable manifest (no name or version), or a package.
    private readonly record struct InstalledIdentity(bool Exists, string? Name, string? Version);
}
