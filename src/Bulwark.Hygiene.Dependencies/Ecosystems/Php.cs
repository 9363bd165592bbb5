// SPDX-License-Identifier: Apache-2.0
using System.Text.Json;

namespace Bulwark.Hygiene.Dependencies.Ecosystems;

/// PHP: composer.json's require and require-dev against composer.lock, and its repositories.
internal static class Php
{
    public const string Ecosystem = "Packagist";

    private static readonly string[] Sections = ["require", "require-dev"];

    public static void CheckComposer(DependencyTree tree, string path)
    {
        if (tree.Parse(path, JsonFile.Parse) is not { } manifest) return;
        if (manifest.Root.ValueKind != JsonValueKind.Object)
        {
            tree.Unreadable(path, "composer.json is not a JSON object.");
            return;
        }
        CheckRepositories(tree, path, manifest);
        var deps = new List<(string Section, string Name, string Constraint, int? Line)>();
        foreach (var section in Sections)
            foreach (var (name, constraint) in JsonFile.StringMap(manifest.Root, section))
            {
                // "php", "ext-json", "lib-icu", "composer-plugin-api": the platform, not packages
                if (!name.Contains('/', StringComparison.Ordinal)) continue;
                deps.Add((section, name, constraint, manifest.Lines.Line(section, name)));
            }
        if (deps.Count == 0) return;
        var lockPath = DependencyTree.Sibling(path, "composer.lock");
        if (!tree.Has(lockPath))
        {
            tree.Report(DependencyRules.MissingLockfile, path, 1, Ecosystem, JsonFile.Str(manifest.Root, "name"),
                $"composer.json requires {Npm.Plural(deps.Count, "package", "packages")} and there is no composer.lock beside it.");
            foreach (var (section, name, constraint, line) in deps)
            {
                var c = constraint.Trim().TrimStart('=').TrimStart('v');
                if (c.Length == 0 || !char.IsAsciiDigit(c[0]) || c.Any(ch => ch is '*' or '^' or '~' or '>' or '<' or '|' or ' ' or ','))
                    tree.Report(DependencyRules.FloatingVersion, path, line, Ecosystem, name, $"{name} \"{constraint}\" in {section} is a range, and no composer.lock fixes the version installed.");
            }
            return;
        }
        if (tree.Parse(lockPath, JsonFile.Parse) is not { } lockFile) return;
        if (lockFile.Root.ValueKind != JsonValueKind.Object)
        {
            tree.Unreadable(lockPath, "composer.lock is not a JSON object.");
            return;
        }
        if (JsonFile.Str(lockFile.Root, "content-hash") is { } recorded && ComposerHash.Compute(manifest.Root) is { } hash
            && !hash.Equals(recorded, StringComparison.OrdinalIgnoreCase))
            tree.Report(DependencyRules.LockfileOutOfSync, path, 1, Ecosystem, null,
                $"composer.lock was made from another version of composer.json (its content-hash is {DependencyTree.Clip(recorded, 13)}, composer.json's is {hash}); run 'composer update --lock'.");
        var locked = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in (string[])["packages", "packages-dev"])
        {
            if (!lockFile.Root.TryGetProperty(key, out var list) || list.ValueKind != JsonValueKind.Array) continue;
            foreach (var p in list.EnumerateArray())
            {
                if (JsonFile.Str(p, "name") is { } n) locked.Add(n);
                // a locked package may stand in for others ("replace") or implement virtual ones ("provide")
                foreach (var (virtualName, _) in JsonFile.StringMap(p, "replace").Concat(JsonFile.StringMap(p, "provide"))) locked.Add(virtualName);
                CheckLockedSource(tree, lockPath, p);
            }
        }
        foreach (var (section, name, constraint, line) in deps)
        {
            if (!locked.Contains(name))
                tree.Report(DependencyRules.LockfileOutOfSync, path, line, Ecosystem, name, $"{name} \"{constraint}\" is in {section} but not in composer.lock; run 'composer update --lock'.");
        }
    }

    private static void CheckLockedSource(DependencyTree tree, string lockPath, JsonElement package)
    {
        var name = JsonFile.Str(package, "name") ?? "?";
        var dist = JsonFile.Obj(package, "dist");
        var source = JsonFile.Obj(package, "source");
        if (dist is { } d && JsonFile.Str(d, "type") == "path")
        {
            if (JsonFile.Str(d, "url") is { } local && !DependencyTree.StaysInside(lockPath, local))
                tree.Report(DependencyRules.LocalPathDependency, lockPath, null, Ecosystem, name, $"{name} is locked to \"{local}\", outside the repository.");
            return;
        }
        // packages from Packagist carry a dist zip on api.github.com or similar: only a missing dist means git-only
        if (dist is null && source is { } s && JsonFile.Str(s, "type") == "git")
            tree.Report(DependencyRules.GitDependency, lockPath, null, Ecosystem, name, $"{name} is locked to git only: {JsonFile.Str(s, "url")}.");
    }

    private static void CheckRepositories(DependencyTree tree, string path, JsonFile manifest)
    {
        if (!manifest.Root.TryGetProperty("repositories", out var repos)) return;
        var items = repos.ValueKind switch
        {
            JsonValueKind.Array => repos.EnumerateArray().Select((r, i) => (r, (string?)null)).ToList(),
            JsonValueKind.Object => repos.EnumerateObject().Select(p => (p.Value, (string?)p.Name)).ToList(),
            _ => [],
        };
        var line = manifest.Lines.Line("repositories");
        foreach (var (repo, key) in items)
        {
            var type = JsonFile.Str(repo, "type");
            var url = JsonFile.Str(repo, "url");
            var at = key is null ? line : manifest.Lines.Line("repositories", key) ?? line;
            switch (type)
            {
                case "vcs" or "git" or "github" or "gitlab" or "bitbucket":
                    tree.Report(DependencyRules.GitDependency, path, at, Ecosystem, null, $"packages are fetched from the {type} repository {url}.");
                    break;
                case "path" when url is not null && !DependencyTree.StaysInside(path, url):
                    tree.Report(DependencyRules.LocalPathDependency, path, at, Ecosystem, null, $"packages are read from \"{url}\", outside the repository.");
                    break;
                case "composer" when url is not null && !tree.Registries.IsAllowed(Ecosystem, url):
                    tree.Report(DependencyRules.UnapprovedRegistry, path, at, Ecosystem, null, $"composer repository {url} is not an allowed Packagist registry.");
                    break;
                case "artifact" or "package":
                    tree.Report(DependencyRules.UrlDependency, path, at, Ecosystem, null, $"a '{type}' repository serves packages outside any registry.");
                    break;
            }
        }
    }
}
