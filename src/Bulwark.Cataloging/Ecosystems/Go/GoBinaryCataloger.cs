// SPDX-License-Identifier: Apache-2.0
using System.Text.RegularExpressions;
using Bulwark.Cataloging.Ecosystems.Binaries;
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Go;

/// Reads the modules compiled into Go executables (ELF, PE, Mach-O) from their embedded build information:
/// the main module (the root), every dependency module, and the standard library of the toolchain that built it.
public sealed partial class GoBinaryCataloger : ICataloger, IFileSizeLimit, IConfirmsByHead
{
    /// Archives and executables are read in place (seeking), not whole: no limit beyond the run's.
    public long MaxFileSize => long.MaxValue;

    public string Name => "go-binary";

    public bool Wants(FilePath path) => ExecutablePath.IsCandidate(path);

    public bool WantsHead(ReadOnlySpan<byte> head) => ExecutableFile.HasMagic(head);

    public async Task<IReadOnlyList<Package>> ReadAsync(CatalogInput input, CancellationToken ct)
    {
        if (await SeekableContent.OpenExecutableAsync(input, ct).ConfigureAwait(false) is not (Stream stream, bool owned)) return [];
        try
        {
            var exe = await ExecutableFile.TryReadAsync(stream, ct).ConfigureAwait(false);
            if (exe is null) return [];
            var info = await GoBuildInfo.ReadAsync(exe, ct).ConfigureAwait(false);
            return info is null ? [] : ToPackages(info, input.Location);
        }
        finally
        {
            if (owned) await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static List<Package> ToPackages(GoBuildInfo info, FileLocation location)
    {
        var mod = GoModInfo.Parse(info.ModInfo);
        var packages = new List<Package>();

        var stdlibVersion = GoVersions.ToolchainToSemver(info.GoVersion);
        var stdlib = Package.Create(Ecosystem.Go, "stdlib", stdlibVersion, location)
            .WithProperty("go:toolchain", info.GoVersion);
        packages.Add(stdlib);

        foreach (var dep in mod.Deps)
            packages.Add(ToPackage(dep, location));

        if (mod.Main is { } main)
        {
            // the main module's version is "(devel)" unless built with `go install module@version`
            var version = main.Version is "(devel)" or "" ? MainVersion(mod) : main.Version;
            var root = Package.Create(Ecosystem.Go, main.Path, version, location) with
            {
                IsRoot = true,
                Kind = PackageKind.Application,
                DependsOn = [.. packages.Select(p => p.Purl)],
            };
            if (GoVersions.TryParseH1(main.Sum, out var h)) root = root with { Hashes = [h] };
            root = root.WithProperty("go:toolchain", info.GoVersion).WithProperty("go:package", mod.Path);
            foreach (var (key, value) in mod.Settings)
                root = root.WithProperty($"go:build:{key}", value);
            packages.Add(root);
        }

        // one package per purl: a module can appear twice only in a corrupt build info, and then merges
        return PackageSightings.Merge(packages);
    }

    private static Package ToPackage(GoModule dep, FileLocation location)
    {
        if (dep.Replace is { } r)
        {
            if (GoVersions.IsLocalPath(r.Path))
            {
                // the code came from a directory beside the build, not from any published version of the module
                return Package.Create(Ecosystem.Go, dep.Path, null, location)
                    .WithProperty("bulwark:source", "path")
                    .WithProperty("go:replace", r.Path);
            }
            var replaced = Package.Create(Ecosystem.Go, r.Path, r.Version, location)
                .WithProperty("go:replaces", $"{dep.Path}@{dep.Version}");
            return GoVersions.TryParseH1(r.Sum, out var rh) ? replaced with { Hashes = [rh] } : replaced;
        }
        if (dep.Version == "(devel)")
        {
            // a module of the go.work workspace, built from its directory
            return Package.Create(Ecosystem.Go, dep.Path, null, location).WithProperty("bulwark:source", "workspace");
        }
        var p = Package.Create(Ecosystem.Go, dep.Path, dep.Version, location);
        return GoVersions.TryParseH1(dep.Sum, out var h) ? p with { Hashes = [h] } : p;
    }

    /// A version for a main module built from a checkout: one set by -ldflags "-X ….version=…" when present,
    /// else the pseudo-version of the commit the vcs.* settings record, else none.
    private static string? MainVersion(GoModInfo mod)
    {
        if (mod.Setting("-ldflags") is { } ldflags)
        {
            foreach (Match m in LdflagsVersion().Matches(ldflags))
            {
                var v = m.Groups["v"].Value.Trim('\'', '"');
                if (v.Length > 0 && char.IsAsciiDigit(v[0])) v = "v" + v;
                if (v.Length > 1 && v[0] == 'v' && char.IsAsciiDigit(v[1])) return v;
            }
        }
        return GoVersions.PseudoVersion(mod.Setting("vcs.revision"), mod.Setting("vcs.time"));
    }

    // -X importpath.name=value where name is version/Version/gitVersion…, value up to the next space
    [GeneratedRegex(@"-X[= ]['""]?[^\s=]*\.(?:[A-Za-z]*[vV]ersion)=(?<v>[^\s]+)", RegexOptions.CultureInvariant)]
    private static partial Regex LdflagsVersion();
}
