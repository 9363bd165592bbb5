// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Formats.Toml;
using Bulwark.Versions.Semver;

namespace Bulwark.Hygiene.Dependencies.Ecosystems;

/// Rust: Cargo.toml's dependencies against the Cargo.lock of its package or workspace, git and path sources, and
/// registries other than crates.io (in Cargo.toml, .cargo/config.toml and Cargo.lock).
internal static class Cargo
{
    public const string Ecosystem = "crates.io";

    private static readonly string[] Sections = ["dependencies", "dev-dependencies", "build-dependencies"];

    private sealed record Dependency(string Key, string Name, string? Requirement, int Line, string? Git, string? LocalPath, string? Registry);

    public static void CheckManifest(DependencyTree tree, string path)
    {
        if (tree.Parse(path, TomlFile.Parse) is not { } file) return;
        var root = file.Root;
        var deps = new List<Dependency>();
        foreach (var s in Sections) Collect(TomlFile.Table(root, s), deps);
        Collect(TomlFile.Table(root, "workspace", "dependencies"), deps);
        if (TomlFile.Table(root, "target") is { } targets)
            foreach (var t in targets.Keys)
                foreach (var s in Sections) Collect(TomlFile.Table(targets, t, s), deps);

        foreach (var d in deps)
        {
            if (d.Git is not null)
                tree.Report(DependencyRules.GitDependency, path, d.Line, Ecosystem, d.Name, $"{d.Name} is fetched from git: {d.Git}.");
            else if (d.LocalPath is not null && !DependencyTree.StaysInside(path, d.LocalPath))
                tree.Report(DependencyRules.LocalPathDependency, path, d.Line, Ecosystem, d.Name, $"{d.Name} is read from \"{d.LocalPath}\", outside the repository.");
            if (d.Registry is not null && d.Registry != "crates-io")
                CheckNamedRegistry(tree, path, d);
        }

        var dir = DependencyTree.DirectoryOf(path);
        var lockPath = tree.FindUp(dir, "Cargo.lock");
        var fromRegistry = deps.Where(d => d.Git is null && d.LocalPath is null).ToList();
        if (lockPath is null)
        {
            // libraries may leave Cargo.lock out (their users' lockfiles decide); binaries and workspaces may not
            // a workspace member shares the workspace's lockfile: the workspace's own Cargo.toml is reported
            if (InWorkspace(tree, dir)) return;
            var isWorkspace = root.ContainsKey("workspace");
            var isBinary = TomlFile.Tables(root, "bin").Any() || tree.ExistsOnDisk(DependencyTree.Sibling(path, "src/main.rs"));
            if (!isWorkspace && (!isBinary || deps.Count == 0)) return;
            tree.Report(DependencyRules.MissingLockfile, path, 1, Ecosystem, TomlFile.Str(TomlFile.Table(root, "package"), "name"), isWorkspace
                ? "Cargo.toml defines a workspace and there is no Cargo.lock beside it."
                : $"Cargo.toml builds a binary with {Npm.Plural(deps.Count, "dependency", "dependencies")} and there is no Cargo.lock here or in a directory above.");
            foreach (var d in fromRegistry)
            {
                if (d.Requirement is { } req && !req.TrimStart().StartsWith('=') )
                    tree.Report(DependencyRules.FloatingVersion, path, d.Line, Ecosystem, d.Name, $"{d.Name} \"{req}\" allows any compatible newer version, and no Cargo.lock fixes the version built.");
            }
            return;
        }
        if (tree.Parse(lockPath, TomlFile.Parse) is not { } lockFile) return;
        var locked = TomlFile.Tables(lockFile.Root, "package")
            .Select(p => (Name: TomlFile.Str(p, "name"), Version: TomlFile.Str(p, "version")))
            .Where(p => p.Name is not null)
            .ToLookup(p => p.Name!, p => p.Version, StringComparer.Ordinal);
        foreach (var d in deps)
        {
            if (!locked.Contains(d.Name))
            {
                tree.Report(DependencyRules.LockfileOutOfSync, path, d.Line, Ecosystem, d.Name, $"{d.Name} is declared but {lockPath} has no package of that name; run 'cargo update -w'.");
                continue;
            }
            if (d.Requirement is not { } text || d.Git is not null || d.LocalPath is not null || !CargoRequirement.TryParse(text, out var req)) continue;
            var versions = locked[d.Name].OfType<string>().ToList();
            if (!versions.Any(v => SemVersion.TryParseLenient(v, out var sv) && req.Matches(sv)))
                tree.Report(DependencyRules.LockfileOutOfSync, path, d.Line, Ecosystem, d.Name,
                    $"{d.Name} \"{text}\": {lockPath} locks {string.Join(", ", versions)}, which the requirement does not allow.");
        }
    }

    /// True when a Cargo.toml with a [workspace] table lies above <paramref name="dir"/>: the member shares its lockfile.
    private static bool InWorkspace(DependencyTree tree, string dir)
    {
        while (dir.Length > 0)
        {
            var slash = dir.LastIndexOf('/');
            dir = slash < 0 ? "" : dir[..slash];
            var manifest = dir.Length == 0 ? "Cargo.toml" : $"{dir}/Cargo.toml";
            if (tree.Has(manifest) && tree.Parse(manifest, TomlFile.Parse) is { } m && m.Root.ContainsKey("workspace")) return true;
        }
        return false;
    }

    private static void Collect(TomlTable? table, List<Dependency> deps)
    {
        if (table is null) return;
        foreach (var key in table.Keys)
        {
            var line = table.LineOf(key);
            switch (table[key])
            {
                case string req:
                    deps.Add(new Dependency(key, key, req, line, null, null, null));
                    break;
                case TomlTable t:
                    if (t.TryGetValue("workspace", out var w) && w is true) break; // inherited: checked in the workspace's manifest
                    deps.Add(new Dependency(key, TomlFile.Str(t, "package") ?? key, TomlFile.Str(t, "version"), line,
                        TomlFile.Str(t, "git"), TomlFile.Str(t, "path"), TomlFile.Str(t, "registry")));
                    break;
            }
        }
    }

    // a named registry is defined in .cargo/config.toml: [registries.<name>] index = "…"
    private static void CheckNamedRegistry(DependencyTree tree, string path, Dependency d)
    {
        var config = tree.FindUp(DependencyTree.DirectoryOf(path), ".cargo/config.toml", ".cargo/config");
        var index = config is not null && tree.Parse(config, TomlFile.Parse) is { } c ? TomlFile.Str(TomlFile.Table(c.Root, "registries", d.Registry!), "index") : null;
        if (index is not null && tree.Registries.IsAllowed(Ecosystem, index)) return;
        tree.Report(DependencyRules.UnapprovedRegistry, path, d.Line, Ecosystem, d.Name,
            index is null ? $"{d.Name} comes from the registry '{d.Registry}', which is not an allowed registry (its index is not defined in .cargo/config.toml)."
                : $"{d.Name} comes from the registry '{d.Registry}' ({index}), which is not an allowed registry.");
    }

    /// Cargo.lock on its own: git sources and registries other than crates.io.
    public static void CheckLock(DependencyTree tree, string path)
    {
        if (tree.Parse(path, TomlFile.Parse) is not { } file) return;
        foreach (var p in TomlFile.Tables(file.Root, "package"))
        {
            if (TomlFile.Str(p, "source") is not { } source) continue; // no source: a workspace member or path crate
            var name = TomlFile.Str(p, "name") ?? "?";
            var version = TomlFile.Str(p, "version");
            var package = version is null ? name : $"{name}@{version}";
            var line = p.LineOf("source");
            if (source.StartsWith("git+", StringComparison.Ordinal))
                tree.Report(DependencyRules.GitDependency, path, line, Ecosystem, package, $"{package} is locked to git: {source[4..]}.");
            else if ((source.StartsWith("registry+", StringComparison.Ordinal) || source.StartsWith("sparse+", StringComparison.Ordinal))
                && !tree.Registries.IsAllowed(Ecosystem, source))
                tree.Report(DependencyRules.UnapprovedRegistry, path, line, Ecosystem, package, $"{package} comes from {source}, which is not an allowed registry.");
        }
    }

    /// .cargo/config.toml: registries defined, and crates.io replaced by a source nobody allowed.
    public static void CheckConfig(DependencyTree tree, string path)
    {
        if (tree.Parse(path, TomlFile.Parse) is not { } file) return;
        if (TomlFile.Table(file.Root, "source") is not { } sources) return;
        foreach (var name in sources.Keys)
        {
            if (sources[name] is not TomlTable s) continue;
            foreach (var key in (string[])["registry", "git"])
            {
                if (TomlFile.Str(s, key) is { } url && !tree.Registries.IsAllowed(Ecosystem, url))
                    tree.Report(key == "git" ? DependencyRules.GitDependency : DependencyRules.UnapprovedRegistry, path, s.LineOf(key), Ecosystem, null,
                        $"source '{name}' fetches crates from {url}, which is not an allowed registry.");
            }
        }
    }
}
