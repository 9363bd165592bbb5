// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using Bulwark.Cataloging.FileSources;
using Bulwark.Cataloging.Formats.Toml;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Python;

/// Reads poetry.lock (lock-version 1.x and 2.x). The sibling pyproject.toml names the root project and its direct
/// dependencies; it also gives scopes when the lockfile records none (lock-version 2.0 has neither category nor groups).
public sealed class PoetryLockCataloger : ICataloger, IReadsNeighbours
{
    public string Name => "python-poetry-lock";

    /// Reads pyproject.toml beside the lockfile.
    public bool MayRead(FilePath path) => path.FileName == "pyproject.toml";

    public bool Wants(FilePath path) => path.FileName == "poetry.lock";

    public async Task<IReadOnlyList<Package>> ReadAsync(CatalogInput input, CancellationToken ct)
    {
        var lockFile = TomlDocument.Parse(await input.ReadTextAsync(ct).ConfigureAwait(false));
        var pyproject = await input.TryReadNeighbourAsync(input.Path.Sibling("pyproject.toml"), PyProject.Parse, ct).ConfigureAwait(false);

        // lock-version 1.x keeps file hashes apart: [metadata.files] name = [{file, hash}]
        var metadataFiles = lockFile.GetTable("metadata")?.GetTable("files");
        var locked = lockFile.GetTables("package").Select(t => Locked.From(t, metadataFiles)).ToList();
        var byName = locked.ToLookup(l => l.NormalisedName, StringComparer.Ordinal);

        Dictionary<Locked, Scope>? walked = null;
        if (locked.All(l => l.LockScope is null) && pyproject is not null)
        {
            var starts = new List<(Locked, Scope)>();
            foreach (var (name, scope) in pyproject.Dependencies)
                foreach (var l in byName[name]) starts.Add((l, scope));
            walked = ScopeWalk.Run(starts, l => l.Dependencies.SelectMany(d => byName[d]));
        }

        var packages = new List<Package>();
        foreach (var l in locked)
        {
            var scope = l.LockScope ?? (walked is not null && walked.TryGetValue(l, out var s) ? s : Scope.Required);
            var package = Package.Create(Ecosystem.PyPI, l.Name, l.Version, input.LocationAt(l.Line)) with
            {
                Scope = scope,
                Hashes = l.Hashes,
                DependsOn = [.. l.Dependencies.SelectMany(d => byName[d]).Select(PurlOf).Distinct()],
            };
            packages.Add(WithSource(package, l.Source));
        }

        if (pyproject?.Name is { } rootName)
        {
            var root = Package.Create(Ecosystem.PyPI, rootName, pyproject.Version, input.Location) with
            {
                IsRoot = true,
                Kind = PackageKind.Application,
                DependsOn = [.. RootEdges(pyproject, byName)],
            };
            packages.Add(root);
        }
        return PackageSightings.Merge(packages);
    }

    private static Purl PurlOf(Locked l) => Ecosystem.PyPI.PurlFor(l.Name, l.Version);

    // the project's direct dependencies, in order and once each (a loop: LINQ over a Dictionary's keys is JIT-compiled)
    private static List<Purl> RootEdges(PyProject pyproject, ILookup<string, Locked> byName)
    {
        var seen = new HashSet<Purl>();
        var edges = new List<Purl>();
        foreach (var (name, _) in pyproject.Dependencies)
            foreach (var l in byName[name])
                if (PurlOf(l) is var purl && seen.Add(purl)) edges.Add(purl);
        return edges;
    }

    /// [package.source]: git, directory, file and url sources are not the registry's package of that name.
    internal static Package WithSource(Package package, TomlTable? source)
    {
        if (source is null) return package;
        var url = source.GetString("url");
        switch (source.GetString("type"))
        {
            case "git":
                var commit = source.GetString("resolved_reference") ?? source.GetString("reference");
                return package.WithProperty("bulwark:source", "git") with
                {
                    ExternalReferences = url is null ? [] : [new("vcs", $"git+{url}{(commit is null ? "" : "@" + commit)}")],
                };
            case "directory" or "file":
                return package.WithProperty("bulwark:source", "path");
            case "url":
                return package.WithProperty("bulwark:source", "url") with { ExternalReferences = url is null ? [] : [new("distribution", url)] };
            case "legacy" or "http":
                return package.WithProperty("bulwark:source", "registry").WithProperty("python:index", url);
            default:
                return package;
        }
    }

    private sealed class Locked
    {
        public required string Name { get; init; }
        public required string NormalisedName { get; init; }
        public required string Version { get; init; }
        public required int Line { get; init; }
        public Scope? LockScope { get; init; }
        public ImmutableArray<Digest> Hashes { get; init; } = [];
        public IReadOnlyList<string> Dependencies { get; init; } = [];
        public TomlTable? Source { get; init; }

        public static Locked From(TomlTable t, TomlTable? metadataFiles)
        {
            var name = t.GetString("name") ?? throw new InputException($"line {t.Line}: a [[package]] has no name. Run 'poetry lock' to rebuild the lockfile.");
            var version = t.GetString("version") ?? throw new InputException($"line {t.Line}: package '{name}' has no version. Run 'poetry lock' to rebuild the lockfile.");
            var optional = t.GetBoolean("optional") == true;
            Scope? scope = null;
            // 2.1 and later: groups; 1.x: category ("main" or "dev"); 2.0: neither
            if (t.ContainsKey("groups"))
            {
                var groups = t.GetStrings("groups");
                scope = groups.Contains("main") ? (optional ? Scope.Optional : Scope.Required) : Scope.Dev;
            }
            else if (t.GetString("category") is { } category)
            {
                scope = category == "dev" ? Scope.Dev : optional ? Scope.Optional : Scope.Required;
            }
            var normalised = PythonNames.Normalise(name);
            var metadataKey = metadataFiles?.Keys.FirstOrDefault(k => PythonNames.Normalise(k) == normalised);
            var files = t.ContainsKey("files") ? t.GetTables("files") : metadataKey is not null ? metadataFiles!.GetTables(metadataKey) : [];
            var hashes = new SortedSet<Digest>(DigestOrder.Instance);
            foreach (var f in files)
                if (f.GetString("hash") is { } h && Digest.TryParse(h, out var d)) hashes.Add(d);
            return new Locked
            {
                Name = name,
                NormalisedName = normalised,
                Version = version,
                Line = t.Line,
                LockScope = scope,
                Hashes = [.. hashes],
                // [package.dependencies] name = "constraint" | {version, markers, optional} | [ {…}, {…} ]: only the names matter here
                Dependencies = [.. (t.GetTable("dependencies")?.Keys ?? []).Select(PythonNames.Normalise).Distinct(StringComparer.Ordinal)],
                Source = t.GetTable("source"),
            };
        }
    }
}
