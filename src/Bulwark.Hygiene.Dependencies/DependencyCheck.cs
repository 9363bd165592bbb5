// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;
using Bulwark.Hygiene.Dependencies.Ecosystems;

namespace Bulwark.Hygiene.Dependencies;

/// What to check and what to allow.
/// <param name="Registries">Registry URLs allowed besides each ecosystem's public one.</param>
/// <param name="Excludes">Paths left out of the walk (relative to the root).</param>
/// <param name="DisabledRules">Rule ids not reported.</param>
public sealed record DependencyCheckOptions(IReadOnlyList<string> Registries, IReadOnlyList<Glob> Excludes, IReadOnlySet<string> DisabledRules)
{
    public static DependencyCheckOptions Default { get; } = new([], [], new HashSet<string>(StringComparer.Ordinal));
}

/// Checks the dependency manifests and lockfiles of a source tree: missing and stale lockfiles, dependencies from git,
/// URLs and outside paths, floating versions, npm install scripts and registries nobody allowed.
public static class DependencyCheck
{
    /// Checks <paramref name="root"/>, a directory walked with the catalogers' file source (links kept inside the root,
    /// `.git` skipped, <see cref="DependencyCheckOptions.Excludes"/> left out). A file that cannot be read is recorded
    /// in <see cref="DependencyReport.Unreadable"/> and the rest is checked. Throws <see cref="InputException"/> when
    /// the directory does not exist.
    public static DependencyReport Run(string root, DependencyCheckOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var full = Path.GetFullPath(root);
        if (!Directory.Exists(full))
            throw new InputException(File.Exists(full)
                ? $"Cannot check {root}: it is a file. Give the directory that holds the manifests and lockfiles."
                : $"Cannot check {root}: no such directory. Give a source checkout.");
        return Run(new DirectoryFileTree(full, options.Excludes), full, options, ct);
    }

    /// Checks the files of <paramref name="fileTree"/> (a directory, or files held in memory); <paramref name="root"/>
    /// names it in the report.
    public static DependencyReport Run(IFileTree fileTree, string root, DependencyCheckOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(fileTree);
        ArgumentNullException.ThrowIfNull(options);
        var tree = new DependencyTree(fileTree, new Registries(options.Registries), options.DisabledRules);
        foreach (var entry in fileTree.Files((path, warning) => tree.Unreadable(path.Value.Length == 0 ? "." : path.Value, warning)))
        {
            ct.ThrowIfCancellationRequested();
            if (Kind(entry.Path) != FileKind.None) tree.Add(entry.Path.Value);
        }

        foreach (var path in tree.Paths)
        {
            ct.ThrowIfCancellationRequested();
            var file = new FilePath(path);
            switch (Kind(file))
            {
                case FileKind.NpmManifest: Npm.CheckManifest(tree, path); break;
                case FileKind.NpmLock: Npm.CheckLock(tree, path); break;
                case FileKind.NpmConfig: Npm.CheckConfig(tree, path); break;
                case FileKind.YarnLock: Npm.CheckYarnLock(tree, path); break;
                case FileKind.PnpmLock: Npm.CheckPnpmLock(tree, path); break;
                case FileKind.NpmInstalled: Npm.CheckInstalled(tree, path); break;
                case FileKind.PythonProject: Python.CheckPyProject(tree, path); break;
                case FileKind.PythonLock: Python.CheckLock(tree, path); break;
                case FileKind.Pipfile: Python.CheckPipfile(tree, path); break;
                case FileKind.Requirements: Python.CheckRequirements(tree, path); break;
                case FileKind.DotNetProject: DotNet.CheckProject(tree, path); break;
                case FileKind.NuGetConfig: DotNet.CheckNuGetConfig(tree, path); break;
                case FileKind.GoMod: Go.CheckGoMod(tree, path); break;
                case FileKind.CargoManifest: Cargo.CheckManifest(tree, path); break;
                case FileKind.CargoLock: Cargo.CheckLock(tree, path); break;
                case FileKind.CargoConfig: Cargo.CheckConfig(tree, path); break;
                case FileKind.Gemfile: Ruby.CheckGemfile(tree, path); break;
                case FileKind.Composer: Php.CheckComposer(tree, path); break;
                default: break; // the other lockfiles and props files are read through their manifest
            }
        }
        return tree.Report(root);
    }

    internal enum FileKind
    {
        None,
        NpmManifest,
        NpmLock,
        NpmInstalled,
        NpmConfig,
        YarnLock,
        PnpmLock,
        PythonProject,
        PythonLock,
        Pipfile,
        PipfileLock,
        Requirements,
        DotNetProject,
        DotNetLock,
        DotNetProps,
        NuGetConfig,
        GoMod,
        GoSum,
        CargoManifest,
        CargoLock,
        CargoConfig,
        Gemfile,
        GemfileLock,
        Composer,
        ComposerLock,
    }

    // directories of installed or vendored packages: their manifests are someone else's, not this project's
    private static readonly string[] VendorDirectories = ["node_modules", "vendor", ".venv", "venv", "site-packages", "bower_components"];

    /// What a file is, by its path alone (no I/O: called for every file of the tree).
    internal static FileKind Kind(FilePath path)
    {
        var name = path.FileName;
        if (path.HasDirectorySegment("node_modules"))
            return name == "package.json" && IsInstalledPackageRoot(path.Value) ? FileKind.NpmInstalled : FileKind.None;
        foreach (var v in VendorDirectories)
            if (path.HasDirectorySegment(v)) return FileKind.None;
        if (name.StartsWith("requirements", StringComparison.OrdinalIgnoreCase) && name.EndsWith(".txt", StringComparison.OrdinalIgnoreCase))
            return FileKind.Requirements;
        if (path.Extension is ".csproj" or ".fsproj" or ".vbproj") return FileKind.DotNetProject;
        if (name.Equals("nuget.config", StringComparison.OrdinalIgnoreCase)) return FileKind.NuGetConfig;
        if (name is "config.toml" or "config" && path.Directory.EndsWith(".cargo", StringComparison.Ordinal)) return FileKind.CargoConfig;
        return name switch
        {
            "package.json" => FileKind.NpmManifest,
            ".npmrc" or ".yarnrc" or ".yarnrc.yml" => FileKind.NpmConfig,
            "package-lock.json" or "npm-shrinkwrap.json" => FileKind.NpmLock,
            "yarn.lock" => FileKind.YarnLock,
            "pnpm-lock.yaml" => FileKind.PnpmLock,
            "pyproject.toml" => FileKind.PythonProject,
            "poetry.lock" or "uv.lock" or "pdm.lock" => FileKind.PythonLock,
            "Pipfile" => FileKind.Pipfile,
            "Pipfile.lock" => FileKind.PipfileLock,
            "packages.lock.json" => FileKind.DotNetLock,
            "Directory.Build.props" or "Directory.Packages.props" => FileKind.DotNetProps,
            "go.mod" => FileKind.GoMod,
            "go.sum" => FileKind.GoSum,
            "Cargo.toml" => FileKind.CargoManifest,
            "Cargo.lock" => FileKind.CargoLock,
            "Gemfile" or "gems.rb" => FileKind.Gemfile,
            "Gemfile.lock" or "gems.locked" => FileKind.GemfileLock,
            "composer.json" => FileKind.Composer,
            "composer.lock" => FileKind.ComposerLock,
            _ => FileKind.None,
        };
    }

    /// "…/node_modules/name/package.json" or "…/node_modules/@scope/name/package.json": an installed package's manifest.
    private static bool IsInstalledPackageRoot(string path)
    {
        var parts = path.Split('/');
        var n = parts.Length;
        if (n >= 3 && parts[n - 3] == "node_modules" && !parts[n - 2].StartsWith('@')) return true;
        return n >= 4 && parts[n - 4] == "node_modules" && parts[n - 3].StartsWith('@');
    }
}
