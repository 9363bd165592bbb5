// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using Bulwark.Cataloging.FileSources;
using Bulwark.Cataloging.Formats.Toml;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Cargo;

/// Reads crates from Cargo.lock (lockfile versions 1 to 4), with dependency edges; the workspace's own crates
/// (named by the sibling Cargo.toml) are the roots.
public sealed class CargoLockCataloger : ICataloger, IReadsNeighbours
{
    private const string CratesIo = "registry+https://github.com/rust-lang/crates.io-index";
    private const string CratesIoSparse = "sparse+https://index.crates.io/";

    public string Name => "cargo-lock";

    /// Reads the Cargo.toml beside the lockfile and those of workspace members.
    public bool MayRead(FilePath path) => path.FileName == "Cargo.toml";

    public bool Wants(FilePath path) => path.FileName == "Cargo.lock";

    public async Task<IReadOnlyList<Package>> ReadAsync(CatalogInput input, CancellationToken ct)
    {
        var lockFile = TomlDocument.Parse(await input.ReadTextAsync(ct).ConfigureAwait(false));
        var manifest = await input.TryReadNeighbourAsync(input.Path.Sibling("Cargo.toml"), TomlDocument.Parse, ct).ConfigureAwait(false);
        var workspace = manifest is null ? null : await CargoWorkspace.ReadAsync(input, manifest, ct).ConfigureAwait(false);

        var crates = new List<Crate>();
        // lockfile version 1 from before 2017 kept the root crate apart in [root]
        if (lockFile.GetTable("root") is { } oldRoot) crates.Add(Crate.From(oldRoot));
        crates.AddRange(lockFile.GetTables("package").Select(Crate.From));

        // version 1 keeps checksums apart: [metadata] "checksum NAME VERSION (SOURCE)" = "hex"
        var checksums = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in lockFile.GetTable("metadata") ?? TomlTable.None)
            if (key.StartsWith("checksum ", StringComparison.Ordinal) && value is string hex) checksums[key["checksum ".Length..]] = hex;

        var byName = crates.ToLookup(c => c.Name, StringComparer.Ordinal);
        var dependedOn = new HashSet<Crate>();
        var edges = new Dictionary<Crate, List<Crate>>();
        foreach (var crate in crates)
        {
            var resolved = new List<Crate>();
            foreach (var spec in crate.Dependencies)
                if (Resolve(spec, byName) is { } target)
                {
                    resolved.Add(target);
                    dependedOn.Add(target);
                }
            edges[crate] = resolved;
        }

        var packages = new List<Package>();
        foreach (var crate in crates)
        {
            var package = Package.Create(Ecosystem.Cargo, crate.Name, crate.Version, input.LocationAt(crate.Line)) with
            {
                DependsOn = [.. edges[crate].Select(PurlOf).Distinct()],
            };
            var checksum = crate.Checksum ?? checksums.GetValueOrDefault($"{crate.Name} {crate.Version} ({crate.Source})");
            if (checksum is not null && Digest.TryCreate("sha256", checksum, out var digest)) package = package with { Hashes = [digest] };

            if (crate.Source is null)
            {
                // no source = a local crate (workspace member or path dependency), never fetched from a registry
                var isMember = workspace?.IsMember(crate.Name) ?? !dependedOn.Contains(crate);
                package = isMember
                    ? package.WithProperty("bulwark:source", "workspace") with { IsRoot = true, Kind = PackageKind.Application }
                    : package.WithProperty("bulwark:source", "path");
            }
            else if (crate.Source.StartsWith("git+", StringComparison.Ordinal))
            {
                package = package.WithProperty("bulwark:source", "git") with { ExternalReferences = [new("vcs", GitReference(crate.Source))] };
            }
            else if (crate.Source is CratesIo or CratesIoSparse)
            {
                package = package with { ExternalReferences = [new("distribution", $"https://crates.io/api/v1/crates/{crate.Name}/{crate.Version}/download")] };
            }
            else
            {
                // an alternative registry: the crate is not the crates.io crate of the same name
                package = package.WithProperty("bulwark:source", "registry").WithProperty("cargo:registry", RegistryUrl(crate.Source));
            }
            packages.Add(package);
        }
        // the same name and version from two sources (a registry and a git fork) is one purl: one package per purl per file
        return PackageSightings.Merge(packages);
    }

    /// "git+https://github.com/a/b?rev=abc#0123…" becomes "git+https://github.com/a/b#0123…": the locked commit, not the requested ref.
    private static string GitReference(string source)
    {
        var hash = source.IndexOf('#', StringComparison.Ordinal);
        var commit = hash >= 0 ? source[hash..] : "";
        var url = hash >= 0 ? source[..hash] : source;
        var query = url.IndexOf('?', StringComparison.Ordinal);
        return (query >= 0 ? url[..query] : url) + commit;
    }

    private static string RegistryUrl(string source)
    {
        var plus = source.IndexOf('+', StringComparison.Ordinal);
        return plus >= 0 ? source[(plus + 1)..] : source;
    }

    private static Purl PurlOf(Crate c) => Ecosystem.Cargo.PurlFor(c.Name, c.Version);

    /// A dependency entry is "name", "name version" or "name version (source)": as much as is needed to be unique.
    private static Crate? Resolve(string spec, ILookup<string, Crate> byName)
    {
        var parts = spec.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) return null;
        var candidates = byName[parts[0]];
        if (parts.Length > 1) candidates = candidates.Where(c => c.Version == parts[1]);
        if (parts.Length > 2)
        {
            var source = parts[2].Trim().TrimStart('(').TrimEnd(')');
            candidates = candidates.Where(c => c.Source == source);
        }
        return candidates.FirstOrDefault();
    }

    private sealed record Crate(string Name, string Version, string? Source, string? Checksum, IReadOnlyList<string> Dependencies, int Line)
    {
        public static Crate From(TomlTable t) => new(
            t.GetString("name") ?? throw new InputException($"line {t.Line}: a [[package]] has no name. Run 'cargo generate-lockfile' to rebuild the lockfile."),
            t.GetString("version") ?? throw new InputException($"line {t.Line}: package '{t.GetString("name")}' has no version. Run 'cargo generate-lockfile' to rebuild the lockfile."),
            t.GetString("source"),
            t.GetString("checksum"),
            t.GetStrings("dependencies"),
            t.Line);
    }
}

/// The crates a Cargo.toml says are the project's own: its [package] and its [workspace] members.
internal sealed class CargoWorkspace
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly List<Glob> _memberGlobs = [];
    private readonly List<string> _excluded = [];

    public static async Task<CargoWorkspace> ReadAsync(CatalogInput input, TomlTable manifest, CancellationToken ct)
    {
        var result = new CargoWorkspace();
        if (manifest.GetTable("package")?.GetString("name") is { } own) result._names.Add(own);
        if (manifest.GetTable("workspace") is not { } workspace) return result;
        result._excluded.AddRange(workspace.GetStrings("exclude"));
        foreach (var member in workspace.GetStrings("members"))
        {
            if (member.Contains('*', StringComparison.Ordinal) || member.Contains('?', StringComparison.Ordinal))
            {
                // a glob such as "crates/*": member directories are usually named after their crate
                result._memberGlobs.Add(new Glob(member.TrimEnd('/').Split('/')[^1]));
                continue;
            }
            var path = input.Path.Resolve($"{member}/Cargo.toml");
            var memberManifest = path is { } p ? await input.TryReadNeighbourAsync(p, TomlDocument.Parse, ct).ConfigureAwait(false) : null;
            var name = memberManifest?.GetTable("package")?.GetString("name");
            result._names.Add(name ?? member.TrimEnd('/').Split('/')[^1]);
        }
        return result;
    }

    public bool IsMember(string crate) =>
        _names.Contains(crate)
        || (_memberGlobs.Any(g => g.IsMatch(crate)) && !_excluded.Any(e => e.TrimEnd('/').Split('/')[^1] == crate));
}
