// SPDX-License-Identifier: Apache-2.0
using System.Text.Json;
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Npm;

/// Reads npm's package-lock.json and npm-shrinkwrap.json (lockfileVersion 1, 2 and 3).
/// Versions 2 and 3 are read from the flat "packages" map, keyed by install path; version 1 from the nested
/// "dependencies" tree (https://docs.npmjs.com/cli/configuring-npm/package-lock-json).
public sealed class PackageLockCataloger : ICataloger, IReadsNeighbours
{
    public string Name => "npm-package-lock";

    /// Reads package.json beside the lockfile.
    public bool MayRead(FilePath path) => path.FileName == "package.json";

    // a package-lock.json published inside a package is ignored by npm; a shrinkwrap there is honoured
    public bool Wants(FilePath path) => path.FileName switch
    {
        "package-lock.json" => !path.HasDirectorySegment("node_modules"),
        "npm-shrinkwrap.json" => true,
        _ => false,
    };

    public async Task<IReadOnlyList<Package>> ReadAsync(CatalogInput input, CancellationToken ct)
    {
        var bytes = JsonInput.Checked(await JsonInput.ReadAsync(input.Content, input.Size, ct).ConfigureAwait(false));
        using var doc = JsonDocument.Parse(bytes, PackageJson.Options);
        var root = doc.RootElement;
        if (JsonText.NeedsCheck(bytes.Span)) JsonText.RequireReadableStrings(root, input.Path.Value);
        if (root.ValueKind != JsonValueKind.Object)
            throw new InputException("line 1: a package lockfile must be a JSON object. Run 'npm install' to rebuild it.");
        var hasPackages = root.TryGetProperty("packages", out var packages) && packages.ValueKind == JsonValueKind.Object;
        var lines = JsonLines.Index(bytes.Span, hasPackages);
        var entries = hasPackages
            ? ReadPackagesMap(root, packages, lines)
            : await ReadDependencyTreeAsync(root, lines, input, ct).ConfigureAwait(false);
        return NpmEntry.ToPackages(entries, input);
    }

    // lockfileVersion 2 and 3: "packages" keyed by folder ("" = the root, "node_modules/a/node_modules/b", "packages/x")
    private static List<NpmEntry> ReadPackagesMap(JsonElement doc, JsonElement packages, IReadOnlyDictionary<string, int> lines)
    {
        var byKey = new Dictionary<string, (NpmEntry Entry, JsonElement Element)>(StringComparer.Ordinal);
        var links = new Dictionary<string, string>(StringComparer.Ordinal);
        var workspaces = packages.TryGetProperty("", out var rootElement) ? Workspaces(rootElement) : [];
        foreach (var prop in packages.EnumerateObject())
        {
            var key = prop.Name;
            var el = prop.Value;
            if (el.ValueKind != JsonValueKind.Object)
                throw new InputException($"line {Line(lines, key)}: packages[\"{key}\"] is not an object. Run 'npm install' to rebuild the lockfile.");
            if (PackageJson.True(el, "link"))
            {
                // a symlink to a folder (workspace member or file: dependency); "resolved" is the folder's key
                if (PackageJson.String(el, "resolved") is { } target) links[key] = target.TrimEnd('/');
                continue;
            }
            var entry = key.Length == 0 ? RootEntry(doc, el) : PackageEntry(key, el, workspaces);
            if (entry is null) continue;
            entry.Line = lines.TryGetValue(key, out var line) ? line : null;
            byKey[key] = (entry, el);
        }

        foreach (var (key, (entry, el)) in byKey)
        {
            var isProject = key.Length == 0 || entry.IsRoot;
            foreach (var (dep, _) in Edges(el, isProject))
            {
                if (Resolve(key, dep) is { } target) entry.DependsOn.Add(target);
            }
        }
        // a loop, not LINQ over the values: (NpmEntry, JsonElement) instantiations are JIT-compiled at start
        var result = new List<NpmEntry>(byKey.Count);
        foreach (var (_, (entry, _)) in byKey) result.Add(entry);
        return result;

        NpmEntry? Resolve(string from, string dep)
        {
            foreach (var dir in NpmSources.LookupDirectories(from))
            {
                var candidate = NpmSources.NodeModulesPath(dir, dep);
                if (links.TryGetValue(candidate, out var linked)) candidate = linked;
                else if (!byKey.ContainsKey(candidate)) continue;
                return byKey.TryGetValue(candidate, out var hit) ? hit.Entry : null;
            }
            return null; // not installed: an uninstalled optional or peer dependency
        }
    }

    private static NpmEntry? RootEntry(JsonElement doc, JsonElement el)
    {
        var name = PackageJson.String(el, "name") ?? PackageJson.String(doc, "name");
        if (string.IsNullOrEmpty(name)) return null; // an unnamed project: its dependencies are still listed
        var entry = new NpmEntry(name, PackageJson.String(el, "version") ?? PackageJson.String(doc, "version") ?? "") { IsRoot = true };
        foreach (var l in PackageJson.ReadLicenses(el)) entry.AddLicense(l);
        return entry;
    }

    private static NpmEntry? PackageEntry(string key, JsonElement el, IReadOnlyList<string> workspaces)
    {
        var folderName = NpmSources.NameFromNodeModulesPath(key);
        var resolved = PackageJson.String(el, "resolved");
        NpmEntry entry;
        if (folderName is null)
        {
            // a folder outside node_modules: a workspace member, or the target of a file: dependency
            var name = PackageJson.String(el, "name") ?? key[(key.LastIndexOf('/') + 1)..];
            if (name.Length == 0 || name is "." or "..") return null;
            entry = new NpmEntry(name, PackageJson.String(el, "version") ?? "");
            if (workspaces.Any(g => WorkspacePattern.Matches(g, key)))
            {
                entry.IsRoot = true;
                entry.Source = "workspace";
            }
            else entry.Source = "path";
        }
        else
        {
            var realName = PackageJson.String(el, "name") ?? folderName;
            entry = new NpmEntry(realName, PackageJson.String(el, "version") ?? "");
            if (realName != folderName) entry.Alias = folderName;
            entry.Resolved = resolved;
            entry.Source = NpmSources.Classify(resolved);
            if (entry.Source == "git" && entry.Version.Length == 0) entry.Version = NpmSources.GitCommit(resolved!) ?? "";
        }
        entry.Integrity = PackageJson.String(el, "integrity");
        foreach (var l in PackageJson.ReadLicenses(el)) entry.AddLicense(l);
        entry.Scope = StatedScope(el);
        entry.ScopeIsStated = true;
        if (PackageJson.True(el, "inBundle")) entry.Properties["npm:bundled"] = "true";
        return entry;
    }

    /// "dev" → Dev (with or without "optional": only the dev tree needs it), "optional" and "devOptional" → Optional
    /// ("devOptional" = needed by the dev tree and optionally by the production tree).
    private static Scope StatedScope(JsonElement el) =>
        PackageJson.True(el, "dev") ? Scope.Dev
        : PackageJson.True(el, "optional") || PackageJson.True(el, "devOptional") ? Scope.Optional
        : Scope.Required;

    /// Names a package depends on; the project and workspace members also count their devDependencies.
    private static IEnumerable<(string Name, Scope Scope)> Edges(JsonElement el, bool isProject)
    {
        foreach (var (n, _) in PackageJson.Map(el, "dependencies")) yield return (n, Scope.Required);
        foreach (var (n, _) in PackageJson.Map(el, "optionalDependencies")) yield return (n, Scope.Optional);
        // npm 7+ installs peers; a missing optional peer simply does not resolve
        foreach (var (n, _) in PackageJson.Map(el, "peerDependencies")) yield return (n, Scope.Required);
        if (isProject)
        {
            foreach (var (n, _) in PackageJson.Map(el, "devDependencies")) yield return (n, Scope.Dev);
        }
    }

    private static List<string> Workspaces(JsonElement root)
    {
        var list = new List<string>();
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("workspaces", out var w)) return list;   // a non-object is refused below
        if (w.ValueKind == JsonValueKind.Object && w.TryGetProperty("packages", out var p)) w = p;
        if (w.ValueKind != JsonValueKind.Array) return list;
        foreach (var g in w.EnumerateArray())
        {
            var text = g.ValueKind == JsonValueKind.String ? g.GetString()?.Trim() : null;
            if (string.IsNullOrEmpty(text) || text.StartsWith('!')) continue;
            list.Add(text);
        }
        return list;
    }

    // lockfileVersion 1: a tree of "dependencies", each with "requires" naming what it needs
    private static async Task<List<NpmEntry>> ReadDependencyTreeAsync(JsonElement doc, IReadOnlyDictionary<string, int> lines,
        CatalogInput input, CancellationToken ct)
    {
        var byKey = new Dictionary<string, (NpmEntry Entry, JsonElement Element)>(StringComparer.Ordinal);
        var pending = new Stack<(string Parent, JsonElement Dependencies)>();
        if (doc.TryGetProperty("dependencies", out var top)) pending.Push(("", top));
        while (pending.Count > 0)
        {
            var (parent, deps) = pending.Pop();
            if (deps.ValueKind != JsonValueKind.Object)
                throw new InputException($"line {Line(lines, parent)}: \"dependencies\" is not an object. Run 'npm install' to rebuild the lockfile.");
            foreach (var prop in deps.EnumerateObject())
            {
                var key = NpmSources.NodeModulesPath(parent, prop.Name);
                if (prop.Value.ValueKind != JsonValueKind.Object)
                    throw new InputException($"line {Line(lines, key)}: dependency \"{prop.Name}\" is not an object. Run 'npm install' to rebuild the lockfile.");
                var entry = TreeEntry(prop.Name, prop.Value);
                entry.Line = lines.TryGetValue(key, out var line) ? line : null;
                byKey[key] = (entry, prop.Value);
                if (prop.Value.TryGetProperty("dependencies", out var nested)) pending.Push((key, nested));
            }
        }

        var required = new HashSet<NpmEntry>(ReferenceEqualityComparer.Instance);
        foreach (var (key, (entry, el)) in byKey)
        {
            foreach (var (dep, _) in PackageJson.Map(el, "requires"))
            {
                if (Resolve(key, dep) is not { } target) continue;
                entry.DependsOn.Add(target);
                required.Add(target);
            }
        }
        var entries = new List<NpmEntry>(byKey.Count);
        foreach (var (_, (entry, _)) in byKey) entries.Add(entry);

        // version 1 does not record the project's own dependencies: take them from package.json when it is there
        var manifest = await PackageJson.TryReadAsync(input, input.Path.Sibling("package.json"), ct).ConfigureAwait(false);
        var name = PackageJson.String(doc, "name") ?? manifest?.Name;
        if (!string.IsNullOrEmpty(name))
        {
            var project = new NpmEntry(name, PackageJson.String(doc, "version") ?? manifest?.Version ?? "") { IsRoot = true, Line = 1 };
            if (manifest is not null)
            {
                foreach (var (dep, _) in manifest.Dependencies.Concat(manifest.OptionalDependencies).Concat(manifest.DevDependencies).Concat(manifest.PeerDependencies))
                {
                    if (Resolve("", dep) is { } target) project.DependsOn.Add(target);
                }
                foreach (var l in manifest.Licenses) project.AddLicense(l);
            }
            else
            {
                // no manifest: the top-level packages nothing else requires must be the project's own
                project.DependsOn.AddRange(byKey.Where(kv => kv.Key.LastIndexOf("node_modules/", StringComparison.Ordinal) == 0
                    && !required.Contains(kv.Value.Entry)).Select(kv => kv.Value.Entry));
            }
            entries.Add(project);
        }
        return entries;

        NpmEntry? Resolve(string from, string dep)
        {
            foreach (var dir in NpmSources.LookupDirectories(from))
            {
                if (byKey.TryGetValue(NpmSources.NodeModulesPath(dir, dep), out var hit)) return hit.Entry;
            }
            return null;
        }
    }

    private static NpmEntry TreeEntry(string installName, JsonElement el)
    {
        var version = PackageJson.String(el, "version") ?? "";
        var resolved = PackageJson.String(el, "resolved");
        NpmEntry entry;
        if (NpmSources.TryParseAlias(version, out var realName, out var realVersion))
        {
            entry = new NpmEntry(realName, realVersion) { Alias = installName == realName ? null : installName };
        }
        else if (NpmSources.IsGit(version))
        {
            // version 1 writes the git URL, with the commit, as the version
            entry = new NpmEntry(installName, NpmSources.GitCommit(version) ?? "");
            resolved ??= version;
        }
        else if (version.StartsWith("file:", StringComparison.Ordinal) || version.StartsWith("http:", StringComparison.Ordinal)
            || version.StartsWith("https:", StringComparison.Ordinal))
        {
            entry = new NpmEntry(installName, NpmSources.VersionFromTarball(version, installName));
            resolved ??= version;
        }
        else entry = new NpmEntry(installName, version);
        entry.Resolved = resolved;
        entry.Source = NpmSources.Classify(resolved);
        entry.Integrity = PackageJson.String(el, "integrity");
        entry.Scope = StatedScope(el);
        entry.ScopeIsStated = true;
        if (PackageJson.True(el, "bundled")) entry.Properties["npm:bundled"] = "true";
        return entry;
    }

    private static string Line(IReadOnlyDictionary<string, int> lines, string key) =>
        lines.TryGetValue(key, out var l) ? l.ToString(System.Globalization.CultureInfo.InvariantCulture) : "?";
}

/// Finds the line of each package key in a package lockfile with one forward scan of the bytes,
/// since <see cref="JsonDocument"/> keeps no positions.
internal static class JsonLines
{
    /// Keys of "packages" (version 2, 3) or install paths built from the nested "dependencies" (version 1), to 1-based lines.
    public static Dictionary<string, int> Index(ReadOnlySpan<byte> json, bool packagesMap)
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = JsonInput.MaxDepth, AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        var names = new List<string?>();
        var line = 1;
        var counted = 0;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName) continue;
            var depth = reader.CurrentDepth;
            while (names.Count <= depth) names.Add(null);
            names[depth] = null;
            // depth 1 is the document's own keys; odd depths in version 1 are the literal "dependencies"
            bool wanted;
            if (packagesMap) wanted = depth == 2 && names[1] == "packages";
            else wanted = depth >= 2 && depth % 2 == 0 && IsDependencyChain(names, depth);
            if (depth == 1 || (!packagesMap && depth % 2 == 1) || wanted) names[depth] = reader.GetString();
            if (!wanted) continue;
            var start = (int)reader.TokenStartIndex;
            line += json[counted..start].Count((byte)'\n');
            counted = start;
            result.TryAdd(packagesMap ? names[depth]! : Path(names, depth), line);
        }
        return result;
    }

    private static bool IsDependencyChain(List<string?> names, int depth)
    {
        for (var d = 1; d < depth; d += 2)
        {
            if (names[d] != "dependencies") return false;
        }
        return true;
    }

    private static string Path(List<string?> names, int depth)
    {
        var parts = new List<string>();
        for (var d = 2; d <= depth; d += 2) parts.Add(names[d]!);
        return "node_modules/" + string.Join("/node_modules/", parts);
    }
}
