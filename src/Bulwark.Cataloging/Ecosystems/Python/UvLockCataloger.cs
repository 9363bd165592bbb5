// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using Bulwark.Cataloging.FileSources;
using Bulwark.Cataloging.Formats.Toml;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Python;

/// Reads uv.lock. Editable and virtual packages are the workspace's own projects (the roots); scopes follow from
/// their dependencies (Required), optional-dependencies (Optional) and dev-dependencies (Dev).
public sealed class UvLockCataloger : ICataloger, IReadsNeighbours
{
    public string Name => "python-uv-lock";

    /// Reads pyproject.toml beside the lockfile.
    public bool MayRead(FilePath path) => path.FileName == "pyproject.toml";

    public bool Wants(FilePath path) => path.FileName == "uv.lock";

    public async Task<IReadOnlyList<Package>> ReadAsync(CatalogInput input, CancellationToken ct)
    {
        var lockFile = TomlDocument.Parse(await input.ReadTextAsync(ct).ConfigureAwait(false));
        var locked = lockFile.GetTables("package").Select(Locked.From).ToList();
        var byName = locked.ToLookup(l => l.NormalisedName, StringComparer.Ordinal);

        // a root with a dynamic version has none in the lock; the sibling pyproject.toml may state it
        PyProject? pyproject = null;
        if (locked.Any(l => l.IsRoot && l.Version.Length == 0))
        {
            pyproject = await input.TryReadNeighbourAsync(input.Path.Sibling("pyproject.toml"), PyProject.Parse, ct).ConfigureAwait(false);
        }

        IEnumerable<Locked> Resolve(TomlTable dep)
        {
            var name = dep.GetString("name") ?? throw new InputException($"line {dep.Line}: a dependency has no name. Run 'uv lock' to rebuild the lockfile.");
            var version = dep.GetString("version");
            return byName[PythonNames.Normalise(name)].Where(l => version is null || l.Version == version);
        }

        var edges = locked.ToDictionary(l => l, l => l.Dependencies.Concat(l.Optional).SelectMany(Resolve).Distinct().ToList());
        var starts = new List<(Locked, Scope)>();
        foreach (var root in locked.Where(l => l.IsRoot))
        {
            starts.Add((root, Scope.Required));
            foreach (var l in root.Dependencies.SelectMany(Resolve)) starts.Add((l, Scope.Required));
            foreach (var l in root.Optional.SelectMany(Resolve)) starts.Add((l, Scope.Optional));
            foreach (var l in root.Dev.SelectMany(Resolve)) starts.Add((l, Scope.Dev));
        }
        var scopes = ScopeWalk.Run(starts, l => l.IsRoot ? [] : edges[l]);

        var packages = new List<Package>();
        foreach (var l in locked)
        {
            var version = l.Version.Length == 0 && pyproject?.Name is { } n && PythonNames.Normalise(n) == l.NormalisedName ? pyproject.Version : l.Version;
            var rootEdges = l.IsRoot ? l.Dev.SelectMany(Resolve) : [];
            var package = Package.Create(Ecosystem.PyPI, l.Name, version, input.LocationAt(l.Line)) with
            {
                Scope = scopes.GetValueOrDefault(l, Scope.Required),
                Hashes = l.Hashes,
                DependsOn = [.. edges[l].Concat(rootEdges).Distinct().Select(PurlOf)],
            };
            packages.Add(WithSource(package, l));
        }
        return PackageSightings.Merge(packages);

        Purl PurlOf(Locked l) =>
            Ecosystem.PyPI.PurlFor(l.Name, l.Version.Length == 0 && pyproject?.Name is { } n && PythonNames.Normalise(n) == l.NormalisedName ? pyproject.Version : l.Version);
    }

    private static Package WithSource(Package package, Locked l)
    {
        if (l.IsRoot) return package with { IsRoot = true, Kind = PackageKind.Application };
        var source = l.Source;
        if (source is null) return package;
        if (source.GetString("git") is { } git)
            return package.WithProperty("bulwark:source", "git") with { ExternalReferences = [new("vcs", "git+" + git)] };
        if (source.GetString("path") is not null || source.GetString("directory") is not null)
            return package.WithProperty("bulwark:source", "path");
        if (source.GetString("url") is { } url)
            return package.WithProperty("bulwark:source", "url") with { ExternalReferences = [new("distribution", url)] };
        if (source.GetString("registry") is { } registry && !registry.StartsWith("https://pypi.org/", StringComparison.Ordinal))
            return package.WithProperty("bulwark:source", "registry").WithProperty("python:index", registry);
        return l.SdistUrl is { } sdist ? package with { ExternalReferences = [new("distribution", sdist)] } : package;
    }

    private sealed class Locked
    {
        public required string Name { get; init; }
        public required string NormalisedName { get; init; }
        public required string Version { get; init; }
        public required int Line { get; init; }
        public TomlTable? Source { get; init; }
        public bool IsRoot { get; init; }
        public ImmutableArray<Digest> Hashes { get; init; } = [];
        public string? SdistUrl { get; init; }
        public IReadOnlyList<TomlTable> Dependencies { get; init; } = [];
        public IReadOnlyList<TomlTable> Optional { get; init; } = [];
        public IReadOnlyList<TomlTable> Dev { get; init; } = [];

        public static Locked From(TomlTable t)
        {
            var name = t.GetString("name") ?? throw new InputException($"line {t.Line}: a [[package]] has no name. Run 'uv lock' to rebuild the lockfile.");
            var source = t.GetTable("source");
            var hashes = new SortedSet<Digest>(DigestOrder.Instance);
            var sdist = t.GetTable("sdist");
            if (sdist?.GetString("hash") is { } sh && Digest.TryParse(sh, out var sd)) hashes.Add(sd);
            foreach (var wheel in t.GetTables("wheels"))
                if (wheel.GetString("hash") is { } wh && Digest.TryParse(wh, out var wd)) hashes.Add(wd);
            return new Locked
            {
                Name = name,
                NormalisedName = PythonNames.Normalise(name),
                Version = t.GetString("version") ?? "",
                Line = t.Line,
                Source = source,
                // editable and virtual sources are the workspace's own projects
                IsRoot = source is not null && (source.ContainsKey("editable") || source.ContainsKey("virtual")),
                Hashes = [.. hashes],
                SdistUrl = sdist?.GetString("url"),
                Dependencies = t.GetTables("dependencies"),
                Optional = Groups(t.GetTable("optional-dependencies")),
                Dev = Groups(t.GetTable("dev-dependencies")),
            };
        }

        private static List<TomlTable> Groups(TomlTable? groups) =>
            groups is null ? [] : [.. groups.Keys.SelectMany(groups.GetTables)];
    }
}
