// SPDX-License-Identifier: Apache-2.0
using System.Text.Json;
using Bulwark.Versions.Semver;

namespace Bulwark.Hygiene.Dependencies.Ecosystems;

/// npm, yarn and pnpm: package.json against package-lock.json / npm-shrinkwrap.json, yarn.lock or pnpm-lock.yaml
/// (the nearest one in the manifest's directory or above it, where a workspace keeps it), resolved URLs in the
/// lockfiles, and install scripts in package-lock.json and in installed node_modules.
internal static class Npm
{
    public const string Ecosystem = "npm";

    // the sections npm installs from; peerDependencies are installed too (npm 7+) but only where nothing else provides them
    private static readonly string[] Sections = ["dependencies", "devDependencies", "optionalDependencies"];

    /// The lockfiles npm, pnpm and yarn write, in the order npm prefers them when several are present.
    public static readonly string[] Lockfiles = ["npm-shrinkwrap.json", "package-lock.json", "pnpm-lock.yaml", "yarn.lock"];

    private static readonly string[] InstallScripts = ["preinstall", "install", "postinstall"];

    public static void CheckManifest(DependencyTree tree, string path)
    {
        if (tree.Parse(path, JsonFile.Parse) is not { } manifest) return;
        if (manifest.Root.ValueKind != JsonValueKind.Object)
        {
            tree.Unreadable(path, "package.json is not a JSON object.");
            return;
        }
        var deps = new List<(string Section, string Name, NpmSpec Spec, int? Line)>();
        foreach (var section in Sections)
            foreach (var (name, value) in JsonFile.StringMap(manifest.Root, section))
                deps.Add((section, name, NpmSpec.Parse(value), manifest.Lines.Line(section, name)));

        foreach (var (_, name, spec, line) in deps)
        {
            switch (spec.Source)
            {
                case NpmSource.Git:
                    tree.Report(DependencyRules.GitDependency, path, line, Ecosystem, name, $"{name} is fetched from git: \"{spec.Text}\".");
                    break;
                case NpmSource.Url:
                    tree.Report(DependencyRules.UrlDependency, path, line, Ecosystem, name, $"{name} is fetched from a URL: \"{spec.Text}\".");
                    break;
                case NpmSource.Path when !DependencyTree.StaysInside(path, spec.LocalPath):
                    tree.Report(DependencyRules.LocalPathDependency, path, line, Ecosystem, name, $"{name} is read from \"{spec.LocalPath}\", outside the repository.");
                    break;
            }
        }
        if (deps.Count == 0) return;

        var dir = DependencyTree.DirectoryOf(path);
        var lockPath = tree.FindUp(dir, Lockfiles);
        // a lockfile above covers this package only when the package is a workspace member there; any other nested
        // package.json (a fixture, an example, a separately published tool) is installed on its own
        string? notMemberOf = null;
        if (lockPath is not null && DependencyTree.DirectoryOf(lockPath) != dir && !IsWorkspaceMember(tree, DependencyTree.DirectoryOf(lockPath), dir))
            (notMemberOf, lockPath) = (lockPath, null);
        var packageName = JsonFile.Str(manifest.Root, "name");
        if (lockPath is null)
        {
            tree.Report(DependencyRules.MissingLockfile, path, 1, Ecosystem, packageName, notMemberOf is null
                ? $"package.json declares {Plural(deps.Count, "dependency", "dependencies")} and there is no package-lock.json, npm-shrinkwrap.json, pnpm-lock.yaml or yarn.lock here or in a directory above."
                : $"package.json declares {Plural(deps.Count, "dependency", "dependencies")} and has no lockfile of its own; {notMemberOf} does not cover it (it is not a workspace member there).");
            foreach (var (section, name, spec, line) in deps)
            {
                if (spec.Source == NpmSource.Registry && !spec.IsExact)
                    tree.Report(DependencyRules.FloatingVersion, path, line, Ecosystem, name, $"{name} \"{spec.Text}\" in {section} is a range, and no lockfile fixes the version installed.");
            }
            return;
        }
        var member = RelativeTo(DependencyTree.DirectoryOf(lockPath), dir);
        switch (new Cataloging.FileSources.FilePath(lockPath).FileName)
        {
            case "yarn.lock": SyncYarn(tree, path, lockPath, member, deps); break;
            case "pnpm-lock.yaml": SyncPnpm(tree, path, lockPath, member, deps); break;
            default: SyncPackageLock(tree, path, lockPath, member, deps); break;
        }
    }

    // package-lock v2/v3: packages[member] records the manifest as it was locked, packages[".../node_modules/x"] the
    // installed versions; v1: "dependencies" with the installed versions only
    private static void SyncPackageLock(DependencyTree tree, string path, string lockPath, string member, List<(string Section, string Name, NpmSpec Spec, int? Line)> deps)
    {
        if (tree.Parse(lockPath, JsonFile.Parse) is not { } lockFile || lockFile.Root.ValueKind != JsonValueKind.Object) return;
        var lockName = new Cataloging.FileSources.FilePath(lockPath).FileName;
        if (JsonFile.Obj(lockFile.Root, "packages") is { } packages)
        {
            if (JsonFile.Obj(packages, member) is not { } locked)
            {
                tree.Report(DependencyRules.LockfileOutOfSync, path, 1, Ecosystem, null,
                    $"{lockPath} has no entry for this package (packages[\"{member}\"]); it was locked before the package was added.");
                return;
            }
            foreach (var (section, name, spec, line) in deps)
            {
                var recorded = JsonFile.Str(JsonFile.Obj(locked, section) ?? default, name);
                if (recorded is null)
                {
                    tree.Report(DependencyRules.LockfileOutOfSync, path, line, Ecosystem, name, $"{name} \"{spec.Text}\" is in {section} but not in {lockName}.");
                    continue;
                }
                if (recorded != spec.Text)
                {
                    tree.Report(DependencyRules.LockfileOutOfSync, path, line, Ecosystem, name, $"{name} is \"{spec.Text}\" in {section} but {lockName} was made for \"{recorded}\".");
                    continue;
                }
                if (spec.Source != NpmSource.Registry) continue;
                var installed = JsonFile.Obj(packages, Join(member, $"node_modules/{name}")) ?? JsonFile.Obj(packages, $"node_modules/{name}");
                if (installed is { } link && JsonFile.True(link, "link")) continue; // a workspace member, linked
                CheckInstalledVersion(tree, path, line, lockName, name, spec, installed is { } i ? JsonFile.Str(i, "version") : null);
            }
            foreach (var section in Sections)
            {
                foreach (var (name, value) in JsonFile.StringMap(locked, section))
                {
                    if (deps.Any(d => d.Section == section && d.Name == name)) continue;
                    tree.Report(DependencyRules.LockfileOutOfSync, lockPath, lockFile.Lines.Line("packages", member), Ecosystem, name,
                        $"{name} \"{value}\" is locked as a {section} entry of {(member.Length == 0 ? "the root package" : member)} but package.json no longer declares it there.");
                }
            }
        }
        else if (member.Length == 0)
        {
            var locked = JsonFile.Obj(lockFile.Root, "dependencies") ?? default;
            foreach (var (section, name, spec, line) in deps)
            {
                if (spec.Source != NpmSource.Registry) continue;
                var entry = JsonFile.Obj(locked, name);
                if (entry is null)
                {
                    tree.Report(DependencyRules.LockfileOutOfSync, path, line, Ecosystem, name, $"{name} \"{spec.Text}\" is in {section} but not in {lockName}.");
                    continue;
                }
                CheckInstalledVersion(tree, path, line, lockName, name, spec, JsonFile.Str(entry.Value, "version"));
            }
        }
    }

    private static void CheckInstalledVersion(DependencyTree tree, string path, int? line, string lockName, string name, NpmSpec spec, string? version)
    {
        if (version is null)
        {
            tree.Report(DependencyRules.LockfileOutOfSync, path, line, Ecosystem, name, $"{name} \"{spec.Text}\" has no installed version in {lockName}.");
            return;
        }
        // a tag ("latest", "next") or a range we cannot read is not judged: npm resolved it when it wrote the lockfile
        if (spec.Range is not { } text || !NpmRange.TryParse(text, out var range)) return;
        if (!SemVersion.TryParseLenient(version, out var v)) return;
        if (!range.Satisfies(v))
            tree.Report(DependencyRules.LockfileOutOfSync, path, line, Ecosystem, name, $"{name} \"{spec.Text}\": {lockName} locks {version}, which the range does not allow.");
    }

    // yarn.lock keys list the specifiers each entry was resolved for: "name@^1.0.0" (v1), "name@npm:^1.0.0" (berry);
    // berry also records each workspace's own dependencies, as package-lock's packages[member] does
    private static void SyncYarn(DependencyTree tree, string path, string lockPath, string member, List<(string Section, string Name, NpmSpec Spec, int? Line)> deps)
    {
        if (tree.Parse(lockPath, YarnLock.Parse) is not { } yarn) return;
        var local = LocalPackages(tree, DependencyTree.DirectoryOf(lockPath));
        if (yarn.Workspaces.Count > 0)
        {
            if (!yarn.Workspaces.TryGetValue(member.Length == 0 ? "." : member, out var locked))
            {
                tree.Report(DependencyRules.LockfileOutOfSync, path, 1, Ecosystem, null, $"yarn.lock has no workspace entry for this package (\"@workspace:{(member.Length == 0 ? "." : member)}\").");
                return;
            }
            foreach (var (section, name, spec, line) in deps)
            {
                if (!locked.TryGetValue(name, out var recorded))
                    tree.Report(DependencyRules.LockfileOutOfSync, path, line, Ecosystem, name, $"{name} \"{spec.Text}\" is in {section} but not in yarn.lock.");
                else if (recorded != spec.Text && recorded != $"npm:{spec.Text}" && !recorded.StartsWith("patch:", StringComparison.Ordinal)
                    && !(spec.Source == NpmSource.Workspace && recorded.StartsWith("workspace:", StringComparison.Ordinal)))
                    tree.Report(DependencyRules.LockfileOutOfSync, path, line, Ecosystem, name, $"{name} is \"{spec.Text}\" in {section} but yarn.lock was made for \"{recorded}\".");
                else if (spec.Source == NpmSource.Registry && yarn.Versions.TryGetValue($"{name}@{recorded}", out var version))
                    CheckInstalledVersion(tree, path, line, "yarn.lock", name, spec, version);
            }
            return;
        }
        foreach (var (section, name, spec, line) in deps)
        {
            // workspace members are linked, not locked (yarn v1)
            if (spec.Source == NpmSource.Workspace || local.Contains(name)) continue;
            var key = yarn.Specifiers.Contains($"{name}@{spec.Text}") ? $"{name}@{spec.Text}"
                : yarn.Specifiers.Contains($"{name}@npm:{spec.Text}") ? $"{name}@npm:{spec.Text}" : null;
            if (key is null)
                tree.Report(DependencyRules.LockfileOutOfSync, path, line, Ecosystem, name, $"{name} \"{spec.Text}\" is in {section} but yarn.lock has no entry for it.");
            else if (spec.Source == NpmSource.Registry && yarn.Versions.TryGetValue(key, out var version))
                CheckInstalledVersion(tree, path, line, "yarn.lock", name, spec, version);
        }
    }

    /// True when the package.json in <paramref name="root"/> lists <paramref name="dir"/> among its "workspaces" (npm,
    /// yarn) or a pnpm-workspace.yaml sits there (its globs are not evaluated: pnpm members are all below it).
    private static bool IsWorkspaceMember(DependencyTree tree, string root, string dir)
    {
        if (tree.ExistsOnDisk(root.Length == 0 ? "pnpm-workspace.yaml" : $"{root}/pnpm-workspace.yaml")) return true;
        var manifestPath = root.Length == 0 ? "package.json" : $"{root}/package.json";
        if (!tree.Has(manifestPath) || tree.Parse(manifestPath, JsonFile.Parse) is not { } manifest) return false;
        var member = RelativeTo(root, dir);
        var workspaces = manifest.Root.ValueKind == JsonValueKind.Object && manifest.Root.TryGetProperty("workspaces", out var w) ? w : default;
        if (workspaces.ValueKind == JsonValueKind.Object && workspaces.TryGetProperty("packages", out var p)) workspaces = p;
        if (workspaces.ValueKind != JsonValueKind.Array) return false;
        foreach (var pattern in workspaces.EnumerateArray())
        {
            if (pattern.ValueKind != JsonValueKind.String || pattern.GetString() is not { Length: > 0 } text || text.StartsWith('!')) continue;
            try
            {
                if (new Cataloging.FileSources.Glob(text.TrimStart('.', '/').Length == 0 ? "." : text.TrimEnd('/')).IsMatch(member)) return true;
            }
            catch (ArgumentException)
            {
                // not a glob npm would accept either: it matches nothing
            }
        }
        return false;
    }

    /// The names of the packages whose package.json lies in <paramref name="directory"/> or below (workspace members).
    private static HashSet<string> LocalPackages(DependencyTree tree, string directory)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var prefix = directory.Length == 0 ? "" : directory + "/";
        foreach (var p in tree.Paths)
        {
            if (!p.StartsWith(prefix, StringComparison.Ordinal) || DependencyCheck.Kind(new Cataloging.FileSources.FilePath(p)) != DependencyCheck.FileKind.NpmManifest) continue;
            if (tree.Parse(p, JsonFile.Parse) is { } m && JsonFile.Str(m.Root, "name") is { } n) names.Add(n);
        }
        return names;
    }

    // pnpm-lock.yaml v6+: importers[member].<section>[name].specifier; v5 (single project): specifiers[name]
    private static void SyncPnpm(DependencyTree tree, string path, string lockPath, string member, List<(string Section, string Name, NpmSpec Spec, int? Line)> deps)
    {
        if (tree.Parse(lockPath, b => YamlScalars.Parse(DependencyTree.DecodeUtf8(b))) is not { } pnpm) return;
        var importer = member.Length == 0 ? "." : member;
        var specifiers = new Dictionary<(string Section, string Name), string>();
        foreach (var (p, value, _) in pnpm.Values)
        {
            if (p.Length == 5 && p[0] == "importers" && p[1] == importer && p[4] == "specifier") specifiers[(p[2], p[3])] = value;
            else if (p.Length == 2 && p[0] == "specifiers" && member.Length == 0)
                foreach (var s in Sections) specifiers[(s, p[1])] = value;
        }
        foreach (var (section, name, spec, line) in deps)
        {
            if (!specifiers.TryGetValue((section, name), out var recorded))
                tree.Report(DependencyRules.LockfileOutOfSync, path, line, Ecosystem, name, $"{name} \"{spec.Text}\" is in {section} but not in pnpm-lock.yaml.");
            else if (recorded != spec.Text)
                tree.Report(DependencyRules.LockfileOutOfSync, path, line, Ecosystem, name, $"{name} is \"{spec.Text}\" in {section} but pnpm-lock.yaml was made for \"{recorded}\".");
        }
    }

    /// A lockfile on its own: where each package was resolved from, and install scripts.
    public static void CheckLock(DependencyTree tree, string path)
    {
        if (tree.Parse(path, JsonFile.Parse) is not { } lockFile) return;
        if (lockFile.Root.ValueKind != JsonValueKind.Object)
        {
            tree.Unreadable(path, "a package lockfile must be a JSON object.");
            return;
        }
        if (JsonFile.Obj(lockFile.Root, "packages") is { } packages)
        {
            foreach (var p in packages.EnumerateObject())
            {
                if (p.Name.Length == 0 || p.Value.ValueKind != JsonValueKind.Object || JsonFile.True(p.Value, "link")) continue;
                var name = JsonFile.Str(p.Value, "name") ?? NameFromKey(p.Name);
                var line = lockFile.Lines.Line("packages", p.Name);
                if (JsonFile.Str(p.Value, "resolved") is { } resolved)
                    CheckResolved(tree, path, lockFile.Lines.Line("packages", p.Name, "resolved") ?? line, name, resolved);
                if (JsonFile.True(p.Value, "hasInstallScript"))
                    tree.Report(DependencyRules.InstallScript, path, lockFile.Lines.Line("packages", p.Name, "hasInstallScript") ?? line, Ecosystem,
                        Versioned(name, JsonFile.Str(p.Value, "version")), $"{Versioned(name, JsonFile.Str(p.Value, "version"))} ({p.Name}) has an install script (hasInstallScript).");
            }
        }
        else if (JsonFile.Obj(lockFile.Root, "dependencies") is { } dependencies)
        {
            // version 1: a nested tree; lines are known for the top level
            var pending = new Stack<(JsonElement Deps, bool Top)>();
            pending.Push((dependencies, true));
            while (pending.Count > 0)
            {
                var (deps, top) = pending.Pop();
                foreach (var p in deps.EnumerateObject())
                {
                    if (p.Value.ValueKind != JsonValueKind.Object) continue;
                    var line = top ? lockFile.Lines.Line("dependencies", p.Name) : null;
                    var resolved = JsonFile.Str(p.Value, "resolved") ?? (JsonFile.Str(p.Value, "version") is { } v && (NpmSpec.IsGit(v) || v.Contains(':', StringComparison.Ordinal)) ? v : null);
                    if (resolved is not null) CheckResolved(tree, path, line, p.Name, resolved);
                    if (JsonFile.Obj(p.Value, "dependencies") is { } nested) pending.Push((nested, false));
                }
            }
        }
    }

    /// yarn.lock: resolved URLs (v1 "resolved", berry "resolution").
    public static void CheckYarnLock(DependencyTree tree, string path)
    {
        if (tree.Parse(path, YarnLock.Parse) is not { } yarn) return;
        foreach (var (name, resolved, line) in yarn.Resolved) CheckResolved(tree, path, line, name, resolved);
    }

    /// pnpm-lock.yaml: tarball and git resolutions of packages.
    public static void CheckPnpmLock(DependencyTree tree, string path)
    {
        if (tree.Parse(path, b => YamlScalars.Parse(DependencyTree.DecodeUtf8(b))) is not { } pnpm) return;
        foreach (var (p, value, line) in pnpm.Values)
        {
            if (p.Length == 4 && p[0] == "packages" && p[2] == "resolution" && p[3] is "tarball" or "repo")
                CheckResolved(tree, path, line, PnpmName(p[1]), p[3] == "repo" ? "git+" + value : value);
            if (p.Length == 3 && p[0] == "packages" && p[2] == "requiresBuild" && value == "true")
                tree.Report(DependencyRules.InstallScript, path, line, Ecosystem, PnpmName(p[1]), $"{p[1].TrimStart('/')} runs a build (install) script (requiresBuild).");
        }
    }

    private static string PnpmName(string key)
    {
        // "/name/1.0.0" (v5), "/name@1.0.0" (v6), "name@1.0.0" (v9); "host/owner/repo/sha" for a git tarball in v5
        if (!key.StartsWith('/') && !key.Contains('@', StringComparison.Ordinal)) return key;
        var k = key.TrimStart('/');
        if (k.Length == 0) return key;   // a key of slashes only names nothing better than itself
        var at = k.IndexOf('@', 1);
        var slash = k.IndexOf('/', k.StartsWith('@') ? k.IndexOf('/') + 1 : 0);
        var end = at > 0 ? at : slash > 0 ? slash : k.Length;
        return k[..end];
    }

    /// Where a lockfile says a package comes from: git, a non-registry URL, a path, or a registry nobody allowed.
    internal static void CheckResolved(DependencyTree tree, string path, int? line, string name, string resolved)
    {
        if (NpmSpec.IsGit(resolved))
        {
            tree.Report(DependencyRules.GitDependency, path, line, Ecosystem, name, $"{name} is resolved from git: {resolved}.");
            return;
        }
        if (resolved.StartsWith("file:", StringComparison.Ordinal))
        {
            if (!DependencyTree.StaysInside(path, resolved[5..]))
                tree.Report(DependencyRules.LocalPathDependency, path, line, Ecosystem, name, $"{name} is resolved from \"{resolved[5..]}\", outside the repository.");
            return;
        }
        if (Registries.Parse(resolved) is null || tree.Registries.IsAllowed(Ecosystem, resolved)) return;
        // registry tarballs live at <registry>/<name>/-/<file>.tgz; anything else is a plain URL
        if (resolved.Contains("/-/", StringComparison.Ordinal))
            tree.Report(DependencyRules.UnapprovedRegistry, path, line, Ecosystem, name, $"{name} is resolved from {Host(resolved)}, which is not an allowed npm registry: {resolved}.");
        else
            tree.Report(DependencyRules.UrlDependency, path, line, Ecosystem, name, $"{name} is resolved from a URL outside the registry: {resolved}.");
    }

    /// .npmrc ("registry=URL", "@scope:registry=URL"), .yarnrc ("registry \"URL\"") and .yarnrc.yml
    /// ("npmRegistryServer: URL", also under npmScopes): the registries the package manager is told to use.
    public static void CheckConfig(DependencyTree tree, string path)
    {
        if (tree.Text(path) is not { } text) return;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.StartsWith('#') || line.StartsWith(';')) continue;
            string? url = null;
            var eq = line.IndexOf('=');
            if (eq > 0 && (line[..eq].Trim() == "registry" || line[..eq].Trim().EndsWith(":registry", StringComparison.Ordinal)))
                url = line[(eq + 1)..].Trim();
            else if (line.StartsWith("registry ", StringComparison.Ordinal))
                url = line["registry ".Length..].Trim();
            else if (line.StartsWith("npmRegistryServer:", StringComparison.Ordinal))
                url = line["npmRegistryServer:".Length..].Trim();
            if (url is null) continue;
            url = url.Trim('"', '\'');
            if (Registries.Parse(url) is not null && !tree.Registries.IsAllowed(Ecosystem, url))
                tree.Report(DependencyRules.UnapprovedRegistry, path, i + 1, Ecosystem, null, $"the package manager is configured to use {url}, which is not an allowed npm registry.");
        }
    }

    /// An installed package under node_modules: its preinstall, install and postinstall scripts.
    public static void CheckInstalled(DependencyTree tree, string path)
    {
        if (tree.Parse(path, JsonFile.Parse, keep: false) is not { } manifest || JsonFile.Obj(manifest.Root, "scripts") is not { } scripts) return;
        var name = Versioned(JsonFile.Str(manifest.Root, "name") ?? NameFromKey(DependencyTree.DirectoryOf(path)), JsonFile.Str(manifest.Root, "version"));
        foreach (var script in InstallScripts)
        {
            if (JsonFile.Str(scripts, script) is not { } command) continue;
            var shown = command.Length > 120 ? command[..117] + "..." : command;
            tree.Report(DependencyRules.InstallScript, path, manifest.Lines.Line("scripts", script), Ecosystem, name, $"{name} runs a {script} script: \"{shown}\".");
        }
    }

    internal static string Host(string url) => Registries.Parse(url)?.Authority ?? url;

    private static string Versioned(string name, string? version) => string.IsNullOrEmpty(version) ? name : $"{name}@{version}";

    private static string NameFromKey(string key)
    {
        var i = key.LastIndexOf("node_modules/", StringComparison.Ordinal);
        return i < 0 ? key[(key.LastIndexOf('/') + 1)..] : key[(i + "node_modules/".Length)..];
    }

    private static string RelativeTo(string baseDir, string dir) =>
        baseDir.Length == 0 ? dir : dir.Length == baseDir.Length ? "" : dir[(baseDir.Length + 1)..];

    private static string Join(string a, string b) => a.Length == 0 ? b : $"{a}/{b}";

    internal static string Plural(int n, string one, string many) => n == 1 ? $"1 {one}" : $"{n} {many}";
}
