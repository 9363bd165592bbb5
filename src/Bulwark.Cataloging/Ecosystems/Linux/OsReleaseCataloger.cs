// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Linux;

/// Reports the operating system a root filesystem says it is (os-release(5)) as a package of kind OperatingSystem.
/// CycloneDX wants an `operating-system` component named by the distribution's ID with its VERSION_ID; there is no
/// purl type for a distribution, so the package is pkg:generic/&lt;id&gt;@&lt;version id&gt; marked synthetic (writers omit
/// it) and carries the property `bulwark:os` = "true" so readers and the SBOM's metadata can find it. Codename,
/// pretty name and ID_LIKE are kept as `os:codename`, `os:pretty-name`, `os:id-like`.
public sealed class OsReleaseCataloger : ICataloger
{
    /// The property that marks the operating-system package.
    public const string OsProperty = "bulwark:os";

    public string Name => "os-release";

    public bool Wants(FilePath path) => OsRelease.IsOsReleasePath(path);

    public Task<IReadOnlyList<Package>> ReadAsync(CatalogInput input, CancellationToken ct)
    {
        var value = input.Path.Value;
        var relative = value.EndsWith(OsRelease.Paths[0].Value, StringComparison.Ordinal) ? OsRelease.Paths[0].Value : OsRelease.Paths[1].Value;
        var root = value[..^relative.Length];
        if (root.Length > 0 && !root.EndsWith('/')) return Task.FromResult<IReadOnlyList<Package>>([]); // "myetc/os-release"
        // both files usually exist (one a link to the other): each reports the one os-release(5) prefers, so the
        // catalog merges them into one package found at both paths, and a stale usr/lib copy never names a second OS
        var os = OsRelease.For(input.Tree, root);
        if (os is null) return Task.FromResult<IReadOnlyList<Package>>([]);
        return Task.FromResult<IReadOnlyList<Package>>([PackageFor(os, input.Location)]);
    }

    /// The operating-system package for a parsed os-release.
    public static Package PackageFor(OsRelease os, FileLocation? location = null) =>
        (Package.Create(Ecosystem.Generic, os.Id, os.VersionId, location) with
        {
            Kind = PackageKind.OperatingSystem,
            PurlIsSynthetic = true,
            Description = os.PrettyName,
        })
        .WithProperty(OsProperty, "true")
        .WithProperty("os:codename", os.Codename)
        .WithProperty("os:pretty-name", os.PrettyName)
        .WithProperty("os:id-like", os.IdLike.Count == 0 ? null : string.Join(' ', os.IdLike));
}
