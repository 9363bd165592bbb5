// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Go;

/// Reads a Go module's requirements from go.mod (with replace and exclude applied, as the go command does) and
/// their module hashes from the go.sum beside it. Since Go 1.17, go.mod lists every module the build needs, direct
/// and `// indirect`, so go.mod alone is the inventory; go.sum only adds hashes.
public sealed class GoModCataloger : ICataloger, IReadsNeighbours
{
    public string Name => "go-mod";

    /// Reads go.sum beside go.mod.
    public bool MayRead(FilePath path) => path.FileName == "go.sum";

    public bool Wants(FilePath path) => path.FileName == "go.mod";

    public async Task<IReadOnlyList<Package>> ReadAsync(CatalogInput input, CancellationToken ct)
    {
        var mod = GoModFile.Parse(await input.ReadTextAsync(ct).ConfigureAwait(false));
        var sums = GoSum.Parse(await input.TryReadTextAsync(input.Path.Sibling("go.sum"), ct).ConfigureAwait(false));

        var packages = new List<Package>();
        var direct = new List<Purl>();
        foreach (var req in mod.Requires)
        {
            // since Go 1.16 a requirement on an excluded version is ignored (https://go.dev/ref/mod#go-mod-file-exclude)
            if (mod.Excludes.Any(e => e.Path == req.Path && e.Version == req.Version)) continue;
            var package = ToPackage(req, Replacement(mod, req), sums, input.LocationAt(req.Line));
            if (req.Indirect) package = package.WithProperty("go:indirect", "true");
            else direct.Add(package.Purl);
            packages.Add(package);
        }

        if (mod.Module is { } module)
        {
            var root = Package.Create(Ecosystem.Go, module, null, input.LocationAt(mod.ModuleLine)) with
            {
                IsRoot = true,
                Kind = PackageKind.Application,
                DependsOn = [.. direct],
            };
            packages.Add(root.WithProperty("go:version", mod.GoVersion).WithProperty("go:toolchain", mod.Toolchain));
        }

        return PackageSightings.Merge(packages);
    }

    // a replacement naming the exact version wins over one for every version of the module
    private static GoReplace? Replacement(GoModFile mod, GoRequire req) =>
        mod.Replaces.LastOrDefault(r => r.OldPath == req.Path && r.OldVersion == req.Version)
        ?? mod.Replaces.LastOrDefault(r => r.OldPath == req.Path && r.OldVersion is null);

    private static Package ToPackage(GoRequire req, GoReplace? replace, GoSum sums, FileLocation location)
    {
        if (replace is null)
            return WithHash(Package.Create(Ecosystem.Go, req.Path, req.Version, location), sums, req.Path, req.Version);
        if (replace.NewVersion is null)
        {
            // a directory beside the module: no published version of it is used, so none is claimed
            return Package.Create(Ecosystem.Go, req.Path, null, location)
                .WithProperty("bulwark:source", "path")
                .WithProperty("go:replace", replace.NewPath);
        }
        var replaced = Package.Create(Ecosystem.Go, replace.NewPath, replace.NewVersion, location)
            .WithProperty("go:replaces", $"{req.Path}@{req.Version}");
        return WithHash(replaced, sums, replace.NewPath, replace.NewVersion);
    }

    private static Package WithHash(Package p, GoSum sums, string path, string version) =>
        sums.TryGet(path, version, out var digest) ? p with { Hashes = [digest] } : p;
}
