// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Formats.Toml;
using Bulwark.Hygiene.Findings;

namespace Bulwark.Hygiene.Dependencies.Ecosystems;

/// Python: pyproject.toml (PEP 621 and PEP 735 with uv or PDM, and Poetry) against poetry.lock, uv.lock, pdm.lock or
/// pylock.toml; Pipfile against Pipfile.lock; requirements files; index URLs and package sources.
internal static class Python
{
    public const string Ecosystem = "PyPI";

    private static readonly string[] Lockfiles = ["poetry.lock", "uv.lock", "pdm.lock", "pylock.toml"];

    /// One declared dependency: its name, version constraint (PEP 440 specifier or Poetry constraint), line, and
    /// where it comes from when that is not an index.
    private sealed record Declared(string Name, string Constraint, int Line, string? Git, string? Url, string? LocalPath, bool Poetry);

    public static void CheckPyProject(DependencyTree tree, string path)
    {
        if (tree.Parse(path, TomlFile.Parse) is not { } file) return;
        var root = file.Root;
        var declared = new List<Declared>();
        var project = TomlFile.Table(root, "project");
        AddPep508(file, declared, project, "dependencies");
        if (TomlFile.Table(project, "optional-dependencies") is { } extras)
            foreach (var extra in extras.Keys) AddPep508(file, declared, extras, extra);
        if (TomlFile.Table(root, "dependency-groups") is { } groups)
            foreach (var group in groups.Keys) AddPep508(file, declared, groups, group);
        var poetry = TomlFile.Table(root, "tool", "poetry");
        AddPoetry(declared, TomlFile.Table(poetry, "dependencies"));
        AddPoetry(declared, TomlFile.Table(poetry, "dev-dependencies"));
        if (TomlFile.Table(poetry, "group") is { } poetryGroups)
            foreach (var g in poetryGroups.Keys) AddPoetry(declared, TomlFile.Table(poetryGroups, g, "dependencies"));

        // uv: [tool.uv.sources] name = { git = …, path = …, url = … } overrides where a declared dependency comes from
        if (TomlFile.Table(root, "tool", "uv", "sources") is { } uvSources)
        {
            foreach (var name in uvSources.Keys)
            {
                if (uvSources[name] is not TomlTable s) continue;
                var line = uvSources.LineOf(name);
                if (TomlFile.Str(s, "git") is { } git) Report(tree, DependencyRules.GitDependency, path, line, name, $"{name} is fetched from git: {git}.");
                if (TomlFile.Str(s, "url") is { } url) Report(tree, DependencyRules.UrlDependency, path, line, name, $"{name} is fetched from a URL: {url}.");
                if (TomlFile.Str(s, "path") is { } p && !DependencyTree.StaysInside(path, p))
                    Report(tree, DependencyRules.LocalPathDependency, path, line, name, $"{name} is read from \"{p}\", outside the repository.");
            }
        }
        foreach (var d in declared)
        {
            if (d.Git is not null) Report(tree, DependencyRules.GitDependency, path, d.Line, d.Name, $"{d.Name} is fetched from git: {d.Git}.");
            else if (d.Url is not null) Report(tree, DependencyRules.UrlDependency, path, d.Line, d.Name, $"{d.Name} is fetched from a URL: {d.Url}.");
            else if (d.LocalPath is not null && !DependencyTree.StaysInside(path, d.LocalPath))
                Report(tree, DependencyRules.LocalPathDependency, path, d.Line, d.Name, $"{d.Name} is read from \"{d.LocalPath}\", outside the repository.");
        }

        // package indexes: Poetry's [[tool.poetry.source]], uv's [[tool.uv.index]], PDM's [[tool.pdm.source]]
        foreach (var (table, key) in new[] { (poetry, "source"), (TomlFile.Table(root, "tool", "uv"), "index"), (TomlFile.Table(root, "tool", "pdm"), "source") })
            foreach (var source in TomlFile.Tables(table, key))
                CheckIndex(tree, path, source.LineOf("url"), TomlFile.Str(source, "url"), TomlFile.Str(source, "name"));
        if (TomlFile.Table(root, "tool", "uv") is { } uv)
        {
            if (TomlFile.Str(uv, "index-url") is { } indexUrl) CheckIndex(tree, path, uv.LineOf("index-url"), indexUrl, null);
            foreach (var extra in TomlFile.Strings(uv, "extra-index-url")) CheckIndex(tree, path, file.LineOf(extra, uv.LineOf("extra-index-url")), extra, null);
        }

        var fromIndex = declared.Where(d => d.Git is null && d.Url is null && d.LocalPath is null).ToList();
        if (fromIndex.Count == 0) return;
        var dir = DependencyTree.DirectoryOf(path);
        var lockPath = Lockfiles.Select(l => DependencyTree.Sibling(path, l)).FirstOrDefault(tree.Has)
            ?? tree.FindUp(dir, "uv.lock"); // a uv workspace keeps one lockfile at its root
        if (lockPath is null)
        {
            Report(tree, DependencyRules.MissingLockfile, path, 1, Str(project, "name") ?? Str(poetry, "name"),
                $"pyproject.toml declares {Npm.Plural(fromIndex.Count, "dependency", "dependencies")} and there is no poetry.lock, uv.lock, pdm.lock or pylock.toml beside it.");
            foreach (var d in fromIndex)
            {
                if (!IsPinned(d))
                    Report(tree, DependencyRules.FloatingVersion, path, d.Line, d.Name,
                        $"{d.Name} \"{(d.Constraint.Length == 0 ? "*" : d.Constraint)}\" is a range, and no lockfile fixes the version installed.");
            }
            return;
        }
        if (tree.Parse(lockPath, TomlFile.Parse) is not { } lockFile) return;
        var locked = LockedVersions(lockFile.Root);
        var lockName = new Cataloging.FileSources.FilePath(lockPath).FileName;
        if (lockName == "poetry.lock" && TomlFile.Str(TomlFile.Table(lockFile.Root, "metadata"), "content-hash") is { } recorded)
        {
            var candidates = PoetryHash.Candidates(root);
            if (candidates.Count > 0 && !candidates.Contains(recorded, StringComparer.OrdinalIgnoreCase))
                Report(tree, DependencyRules.LockfileOutOfSync, path, 1, null,
                    $"poetry.lock was made from another version of pyproject.toml (its content-hash is {DependencyTree.Clip(recorded, 13)}, which no Poetry release computes for this file); run 'poetry lock'.");
        }
        foreach (var d in fromIndex)
        {
            var shown = d.Constraint.Length == 0 ? "*" : d.Constraint;
            if (!locked.TryGetValue(Pep508.Normalise(d.Name), out var versions))
            {
                Report(tree, DependencyRules.LockfileOutOfSync, path, d.Line, d.Name, $"{d.Name} \"{shown}\" is declared but {lockName} has no package of that name.");
                continue;
            }
            // a lock may hold several versions of one package (uv forks by marker): one allowed is enough
            var specifier = d.Poetry ? Pep440Specifier.FromPoetry(d.Constraint) : d.Constraint;
            if (specifier is null || versions.Count == 0) continue;
            var verdicts = versions.Select(v => Pep440Specifier.Allows(specifier, v)).ToList();
            if (verdicts.All(v => v is false))
                Report(tree, DependencyRules.LockfileOutOfSync, path, d.Line, d.Name,
                    $"{d.Name} \"{shown}\": {lockName} locks {string.Join(", ", versions)}, which the constraint does not allow.");
        }
    }

    private static string? Str(TomlTable? t, string key) => TomlFile.Str(t, key);

    private static bool IsPinned(Declared d) =>
        d.Poetry ? Pep508.IsPinned(d.Constraint) || (d.Constraint.Length > 0 && char.IsAsciiDigit(d.Constraint[0]) && !d.Constraint.Contains('*', StringComparison.Ordinal)
            && !d.Constraint.Contains(',', StringComparison.Ordinal) && !d.Constraint.Contains(' ', StringComparison.Ordinal))
        : Pep508.IsPinned(d.Constraint);

    /// The versions of each package a lockfile holds, by normalised name ([[package]] in poetry.lock, uv.lock and
    /// pdm.lock; [[packages]] in pylock.toml).
    private static Dictionary<string, List<string>> LockedVersions(TomlTable root)
    {
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var p in TomlFile.Tables(root, "package").Concat(TomlFile.Tables(root, "packages")))
        {
            if (TomlFile.Str(p, "name") is not { } name) continue;
            var key = Pep508.Normalise(name);
            if (!result.TryGetValue(key, out var list)) result[key] = list = [];
            if (TomlFile.Str(p, "version") is { } version) list.Add(version);
        }
        return result;
    }

    private static void AddPep508(TomlFile file, List<Declared> declared, TomlTable? table, string key)
    {
        var line = TomlFile.ArrayLine(table, key) ?? 1;
        foreach (var text in TomlFile.Strings(table, key))
        {
            if (Pep508.TryParse(text) is not { } r) continue;
            var at = file.LineOf(text, line);
            var url = r.Url;
            declared.Add(new Declared(r.Name, r.Specifier, at,
                url is not null && url.StartsWith("git+", StringComparison.Ordinal) ? url : null,
                url is not null && !url.StartsWith("git+", StringComparison.Ordinal) && !url.StartsWith("file:", StringComparison.Ordinal) ? url : null,
                url is not null && url.StartsWith("file:", StringComparison.Ordinal) ? FilePathOf(url) : null, false));
        }
    }

    private static void AddPoetry(List<Declared> declared, TomlTable? deps)
    {
        if (deps is null) return;
        foreach (var name in deps.Keys)
        {
            if (name.Equals("python", StringComparison.OrdinalIgnoreCase)) continue;
            var line = deps.LineOf(name);
            switch (deps[name])
            {
                case string constraint:
                    declared.Add(new Declared(name, constraint, line, null, null, null, true));
                    break;
                case TomlTable t:
                    declared.Add(new Declared(name, Str(t, "version") ?? "", line, Str(t, "git"), Str(t, "url"), Str(t, "path"), true));
                    break;
                case TomlArray a:
                    // multiple constraints (one per marker): any one that floats makes the dependency float
                    foreach (var t in a.OfType<TomlTable>())
                        declared.Add(new Declared(name, Str(t, "version") ?? "", line, Str(t, "git"), Str(t, "url"), Str(t, "path"), true));
                    break;
            }
        }
    }

    private static string FilePathOf(string fileUrl)
    {
        var p = fileUrl.StartsWith("file:", StringComparison.Ordinal) ? fileUrl["file:".Length..] : fileUrl;
        if (p.StartsWith("//", StringComparison.Ordinal)) p = p[2..];
        // PDM and Hatch write paths in the project as "file:///${PROJECT_ROOT}/libs/x"
        const string projectRoot = "${PROJECT_ROOT}";
        var i = p.IndexOf(projectRoot, StringComparison.Ordinal);
        return i >= 0 && p[..i].Trim('/').Length == 0 ? "./" + p[(i + projectRoot.Length)..].TrimStart('/') : p;
    }

    /// A lockfile on its own: where each package comes from (poetry.lock [package.source], uv.lock source).
    public static void CheckLock(DependencyTree tree, string path)
    {
        if (tree.Parse(path, TomlFile.Parse) is not { } file) return;
        foreach (var package in TomlFile.Tables(file.Root, "package"))
        {
            var name = Str(package, "name") ?? "?";
            if (!package.TryGetValue("source", out var s) || s is not TomlTable source) continue;
            var line = package.LineOf("source");
            if (Str(source, "type") is { } type)
            {
                // poetry.lock: type = git | url | file | directory | legacy (an index) and url
                var url = Str(source, "url") ?? "";
                switch (type)
                {
                    case "git": Report(tree, DependencyRules.GitDependency, path, line, name, $"{name} is locked to git: {url}."); break;
                    case "url": Report(tree, DependencyRules.UrlDependency, path, line, name, $"{name} is locked to a URL: {url}."); break;
                    case "file" or "directory" when !DependencyTree.StaysInside(path, url):
                        Report(tree, DependencyRules.LocalPathDependency, path, line, name, $"{name} is locked to \"{url}\", outside the repository."); break;
                    case "legacy": CheckIndex(tree, path, line, url, Str(source, "reference"), name); break;
                }
                continue;
            }
            // uv.lock: source = { registry = URL } | { git = URL } | { url = URL } | { path | directory | editable | virtual = PATH }
            if (Str(source, "registry") is { } registry)
            {
                if (Registries.Parse(registry) is not null) CheckIndex(tree, path, line, registry, null, name);
                else if (!DependencyTree.StaysInside(path, registry))
                    Report(tree, DependencyRules.LocalPathDependency, path, line, name, $"{name} is locked to a local index \"{registry}\", outside the repository.");
            }
            else if (Str(source, "git") is { } git) Report(tree, DependencyRules.GitDependency, path, line, name, $"{name} is locked to git: {git}.");
            else if (Str(source, "url") is { } url) Report(tree, DependencyRules.UrlDependency, path, line, name, $"{name} is locked to a URL: {url}.");
            else if ((Str(source, "path") ?? Str(source, "directory") ?? Str(source, "editable")) is { } local && !DependencyTree.StaysInside(path, local))
                Report(tree, DependencyRules.LocalPathDependency, path, line, name, $"{name} is locked to \"{local}\", outside the repository.");
        }
    }

    public static void CheckPipfile(DependencyTree tree, string path)
    {
        if (tree.Parse(path, TomlFile.Parse) is not { } file) return;
        foreach (var source in TomlFile.Tables(file.Root, "source"))
            CheckIndex(tree, path, source.LineOf("url"), Str(source, "url"), Str(source, "name"));
        var declared = new List<(string Section, string Name, string Constraint, int Line)>();
        foreach (var section in (string[])["packages", "dev-packages"])
        {
            if (TomlFile.Table(file.Root, section) is not { } packages) continue;
            foreach (var name in packages.Keys)
            {
                var line = packages.LineOf(name);
                switch (packages[name])
                {
                    case string constraint:
                        declared.Add((section, name, constraint, line));
                        break;
                    case TomlTable t when Str(t, "git") is { } git:
                        Report(tree, DependencyRules.GitDependency, path, line, name, $"{name} is fetched from git: {git}.");
                        break;
                    case TomlTable t when Str(t, "file") is { } url && Registries.Parse(url) is not null:
                        Report(tree, DependencyRules.UrlDependency, path, line, name, $"{name} is fetched from a URL: {url}.");
                        break;
                    case TomlTable t when (Str(t, "path") ?? Str(t, "file")) is { } local:
                        if (!DependencyTree.StaysInside(path, local))
                            Report(tree, DependencyRules.LocalPathDependency, path, line, name, $"{name} is read from \"{local}\", outside the repository.");
                        break;
                    case TomlTable t:
                        declared.Add((section, name, Str(t, "version") ?? "*", line));
                        break;
                }
            }
        }
        if (declared.Count == 0) return;
        var lockPath = DependencyTree.Sibling(path, "Pipfile.lock");
        if (!tree.Has(lockPath))
        {
            Report(tree, DependencyRules.MissingLockfile, path, 1, null,
                $"Pipfile declares {Npm.Plural(declared.Count, "package", "packages")} and there is no Pipfile.lock beside it.");
            foreach (var (section, name, constraint, line) in declared)
            {
                if (!Pep508.IsPinned(constraint))
                    Report(tree, DependencyRules.FloatingVersion, path, line, name, $"{name} \"{constraint}\" in [{section}] is a range, and no lockfile fixes the version installed.");
            }
            return;
        }
        if (tree.Parse(lockPath, JsonFile.Parse) is not { } lockFile) return;
        var recordedHash = JsonFile.Str(JsonFile.Obj(JsonFile.Obj(lockFile.Root, "_meta") ?? default, "hash") ?? default, "sha256");
        if (recordedHash is not null && PipfileHash.Compute(file.Root) is { } hash && !hash.Equals(recordedHash, StringComparison.OrdinalIgnoreCase))
            Report(tree, DependencyRules.LockfileOutOfSync, path, 1, null,
                $"Pipfile.lock was made from another version of this Pipfile (its _meta.hash.sha256 is {recordedHash[..Math.Min(12, recordedHash.Length)]}…, the Pipfile's is {hash[..12]}…); run 'pipenv lock'.");
        foreach (var (section, name, constraint, line) in declared)
        {
            var lockSection = section == "packages" ? "default" : "develop";
            var entries = JsonFile.Obj(lockFile.Root, lockSection);
            var entry = entries is { } e ? e.EnumerateObject().FirstOrDefault(p => Pep508.Normalise(p.Name) == Pep508.Normalise(name)) : default;
            if (entry.Value.ValueKind == System.Text.Json.JsonValueKind.Undefined)
                Report(tree, DependencyRules.LockfileOutOfSync, path, line, name, $"{name} \"{constraint}\" is in [{section}] but not in Pipfile.lock \"{lockSection}\".");
            else if (JsonFile.Str(entry.Value, "version") is { } locked && constraint != "*"
                && Pep440Specifier.Allows(constraint, locked.TrimStart('=')) is false)
                Report(tree, DependencyRules.LockfileOutOfSync, path, line, name, $"{name} \"{constraint}\": Pipfile.lock locks {locked.TrimStart('=')}, which the constraint does not allow.");
        }
    }

    /// requirements*.txt: pip's options for indexes, and one requirement per line (a requirements file is its own
    /// lock: every line should pin one version).
    public static void CheckRequirements(DependencyTree tree, string path)
    {
        if (tree.Text(path) is not { } text) return;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var number = i + 1;
            var line = lines[i].TrimEnd('\r');
            // a backslash at the end continues the line; joined once, so thousands of continued lines stay linear
            if (line.EndsWith('\\') && i + 1 < lines.Length)
            {
                var joined = new System.Text.StringBuilder();
                while (line.EndsWith('\\') && i + 1 < lines.Length)
                {
                    joined.Append(line, 0, line.Length - 1).Append(' ');
                    line = lines[++i].TrimEnd('\r');
                }
                line = joined.Append(line).ToString();
            }
            var hash = line.IndexOf(" #", StringComparison.Ordinal);
            if (line.TrimStart().StartsWith('#')) continue;
            if (hash >= 0) line = line[..hash];
            line = line.Trim();
            if (line.Length == 0) continue;
            if (line.StartsWith('-'))
            {
                CheckOption(tree, path, number, line);
                continue;
            }
            // options after a requirement ("--hash=…") are not part of it
            var options = line.IndexOf(" --", StringComparison.Ordinal);
            var requirement = options >= 0 ? line[..options].Trim() : line;
            if (IsVcs(requirement))
            {
                Report(tree, DependencyRules.GitDependency, path, number, NameOf(requirement), $"\"{requirement}\" is fetched from git.");
                continue;
            }
            if (Registries.Parse(requirement) is not null)
            {
                Report(tree, DependencyRules.UrlDependency, path, number, null, $"\"{requirement}\" is fetched from a URL.");
                continue;
            }
            if (requirement.StartsWith('.') || requirement.StartsWith('/') || requirement.StartsWith("file:", StringComparison.Ordinal))
            {
                var local = requirement.StartsWith("file:", StringComparison.Ordinal) ? FilePathOf(requirement) : requirement;
                if (!DependencyTree.StaysInside(path, local))
                    Report(tree, DependencyRules.LocalPathDependency, path, number, null, $"\"{requirement}\" is read from outside the repository.");
                continue;
            }
            if (Pep508.TryParse(requirement) is not { } r || !Pep508.IsSpecifier(r.Specifier))
            {
                // pip refuses such a line; the rest of the file is still checked
                tree.Unreadable(path, $"line {number}: \"{DependencyTree.Clip(requirement, 80)}\" is not a requirement pip understands; the other lines were checked.");
                continue;
            }
            if (r.Url is { } url)
            {
                if (url.StartsWith("file:", StringComparison.Ordinal))
                {
                    if (!DependencyTree.StaysInside(path, FilePathOf(url)))
                        Report(tree, DependencyRules.LocalPathDependency, path, number, r.Name, $"{r.Name} is read from \"{url}\", outside the repository.");
                }
                else Report(tree, DependencyRules.UrlDependency, path, number, r.Name, $"{r.Name} is fetched from a URL: {url}.");
                continue;
            }
            if (!Pep508.IsPinned(r.Specifier))
                Report(tree, DependencyRules.FloatingVersion, path, number, r.Name,
                    r.Specifier.Length == 0 ? $"{r.Name} has no version: pip installs the newest release." : $"{r.Name} \"{r.Specifier}\" is not pinned to one version ('==').");
        }
    }

    private static void CheckOption(DependencyTree tree, string path, int line, string text)
    {
        var (option, value) = SplitOption(text);
        switch (option)
        {
            case "-i" or "--index-url" or "--extra-index-url":
                CheckIndex(tree, path, line, value, null);
                break;
            case "-f" or "--find-links":
                if (Registries.Parse(value) is not null) CheckIndex(tree, path, line, value, null);
                else if (!DependencyTree.StaysInside(path, value))
                    Report(tree, DependencyRules.LocalPathDependency, path, line, null, $"--find-links \"{value}\" reads packages from outside the repository.");
                break;
            case "-e" or "--editable":
                if (IsVcs(value))
                    Report(tree, DependencyRules.GitDependency, path, line, NameOf(value), $"\"{value}\" is installed from git.");
                else if (Registries.Parse(value) is not null)
                    Report(tree, DependencyRules.UrlDependency, path, line, null, $"\"{value}\" is installed from a URL.");
                else if (!DependencyTree.StaysInside(path, value.StartsWith("file:", StringComparison.Ordinal) ? FilePathOf(value) : value))
                    Report(tree, DependencyRules.LocalPathDependency, path, line, null, $"\"{value}\" is installed from outside the repository.");
                break;
        }
    }

    // pip's VCS schemes: git+, hg+, svn+, bzr+ (https://pip.pypa.io/en/stable/topics/vcs-support/)
    private static bool IsVcs(string requirement) =>
        ((string[])["git+", "hg+", "svn+", "bzr+"]).Any(v => requirement.StartsWith(v, StringComparison.Ordinal)
            || requirement.Contains("@ " + v, StringComparison.Ordinal) || requirement.Contains("@" + v, StringComparison.Ordinal));

    private static (string Option, string Value) SplitOption(string text)
    {
        var eq = text.IndexOf('=');
        var space = text.IndexOfAny([' ', '\t']);
        var cut = eq > 0 && (space < 0 || eq < space) && text.StartsWith("--", StringComparison.Ordinal) ? eq : space;
        return cut < 0 ? (text, "") : (text[..cut], text[(cut + 1)..].Trim());
    }

    // "git+https://host/org/repo.git@v1#egg=name" → "name" when given
    private static string? NameOf(string requirement)
    {
        var egg = requirement.IndexOf("#egg=", StringComparison.Ordinal);
        if (egg >= 0) return requirement[(egg + 5)..].Split('&')[0];
        var at = requirement.IndexOf(" @", StringComparison.Ordinal);
        return at > 0 ? requirement[..at].Trim() : null;
    }

    private static void CheckIndex(DependencyTree tree, string path, int line, string? url, string? name, string? package = null)
    {
        if (string.IsNullOrWhiteSpace(url) || tree.Registries.IsAllowed(Ecosystem, url)) return;
        var label = name is null ? "" : $" ('{name}')";
        Report(tree, DependencyRules.UnapprovedRegistry, path, line, package,
            package is null ? $"package index {url}{label} is not an allowed PyPI registry." : $"{package} comes from the package index {url}{label}, which is not an allowed PyPI registry.");
    }

    private static void Report(DependencyTree tree, Rule rule, string path, int? line, string? package, string message) =>
        tree.Report(rule, path, line, Ecosystem, package, message);
}
