// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using Bulwark.Cataloging.FileSources;
using Bulwark.Cataloging.Formats.Toml;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Python;

/// Reads pdm.lock. Each package lists the groups that need it: "default" is Required; the sibling pyproject.toml
/// tells optional groups (extras, Optional) from development groups (Dev); without it every other group is Dev.
public sealed class PdmLockCataloger : ICataloger, IReadsNeighbours
{
    public string Name => "python-pdm-lock";

    /// Reads pyproject.toml beside the lockfile.
    public bool MayRead(FilePath path) => path.FileName == "pyproject.toml";

    public bool Wants(FilePath path) => path.FileName == "pdm.lock";

    public async Task<IReadOnlyList<Package>> ReadAsync(CatalogInput input, CancellationToken ct)
    {
        var lockFile = TomlDocument.Parse(await input.ReadTextAsync(ct).ConfigureAwait(false));
        var pyproject = await input.TryReadNeighbourAsync(input.Path.Sibling("pyproject.toml"), PyProject.Parse, ct).ConfigureAwait(false);
        // lock_version below 4 keeps hashes apart: [metadata.files] "name version" = [{file, hash}]
        var metadataFiles = lockFile.GetTable("metadata")?.GetTable("files");

        var entries = lockFile.GetTables("package");
        var byName = entries
            .Select(t => (Name: t.GetString("name"), Version: t.GetString("version")))
            .Where(x => x.Name is not null && x.Version is not null)
            .ToLookup(x => PythonNames.Normalise(x.Name!), x => Ecosystem.PyPI.PurlFor(x.Name!, x.Version), StringComparer.Ordinal);

        var packages = new List<Package>();
        foreach (var t in entries)
        {
            var name = t.GetString("name") ?? throw new InputException($"line {t.Line}: a [[package]] has no name. Run 'pdm lock' to rebuild the lockfile.");
            var version = t.GetString("version") ?? throw new InputException($"line {t.Line}: package '{name}' has no version. Run 'pdm lock' to rebuild the lockfile.");
            var groups = t.ContainsKey("groups") ? t.GetStrings("groups") : t.GetStrings("sections");
            var scope = groups.Count == 0 || groups.Contains("default") ? Scope.Required
                : (Scope)groups.Min(g => (int)(pyproject?.Groups.GetValueOrDefault(g, Scope.Dev) ?? Scope.Dev));

            var hashes = new SortedSet<Digest>(DigestOrder.Instance);
            var files = t.ContainsKey("files") ? t.GetTables("files")
                : metadataFiles?.GetArray($"{name} {version}") is not null ? metadataFiles.GetTables($"{name} {version}") : [];
            foreach (var f in files)
                if (f.GetString("hash") is { } h && Digest.TryParse(h, out var d)) hashes.Add(d);

            var dependsOn = new List<Purl>();
            foreach (var spec in t.GetStrings("dependencies"))
                if (PythonRequirement.TryParse(spec, out var r)) dependsOn.AddRange(byName[r.NormalisedName]);

            var package = Package.Create(Ecosystem.PyPI, name, version, input.LocationAt(t.Line)) with
            {
                Scope = scope,
                Hashes = [.. hashes],
                DependsOn = [.. dependsOn.Distinct()],
            };
            if (t.GetString("git") is { } git)
            {
                var revision = t.GetString("revision") ?? t.GetString("ref");
                package = package.WithProperty("bulwark:source", "git") with { ExternalReferences = [new("vcs", $"git+{git}{(revision is null ? "" : "@" + revision)}")] };
            }
            else if (t.GetString("path") is not null) package = package.WithProperty("bulwark:source", "path");
            else if (t.GetString("url") is { } url) package = package.WithProperty("bulwark:source", "url") with { ExternalReferences = [new("distribution", url)] };
            packages.Add(package);
        }

        if (pyproject?.Name is { } rootName)
        {
            packages.Add(Package.Create(Ecosystem.PyPI, rootName, pyproject.Version, input.Location) with
            {
                IsRoot = true,
                Kind = PackageKind.Application,
                DependsOn = [.. pyproject.Dependencies.Keys.SelectMany(d => byName[d]).Distinct()],
            });
        }
        // a package locked once per extra set ("requests" and "requests[socks]") is one package
        return PackageSightings.Merge(packages);
    }
}
