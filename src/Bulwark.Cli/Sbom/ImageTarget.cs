// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using Bulwark.Cataloging;
using Bulwark.Cataloging.Ecosystems.Linux;
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;
using Bulwark.Oci;
using Bulwark.Oci.Layers;
using Bulwark.Oci.Sources;
using Bulwark.Sbom;

namespace Bulwark.Cli.Sbom;

/// `bulwark sbom IMAGE`: resolves an image source, squashes its layers into one file tree keeping only what
/// catalogers may read, catalogs it, and records each package's layer and the image's metadata.
internal static class ImageTarget
{
    private static readonly string[] Prefixes = ["oci:", "oci-archive:", "docker-archive:", "dir:", "registry:", "docker://", "docker-daemon:"];

    /// True when <paramref name="target"/> names an image rather than a directory or file: an explicit transport
    /// prefix, or (when nothing by that name exists on disk) something shaped like a registry reference.
    public static bool IsImage(string target)
    {
        foreach (var p in Prefixes)
            if (target.StartsWith(p, StringComparison.Ordinal)) return true;
        if (File.Exists(target) || Directory.Exists(target) || target.StartsWith('-')) return false;
        // a bare word ("app") is more likely a mistyped path than Docker Hub's library/app; ask for registry: then
        return (target.Contains('/') || target.Contains(':') || target.Contains('@'))
            && !target.StartsWith('.') && !target.StartsWith('/')
            && ImageReference.TryParse(target, out _, out _);
    }

    public sealed record Options(string? Platform, bool Insecure, bool AllLayers, bool AllPlatforms = false);

    /// One image's catalog. <see cref="Platform"/> names it among several (--all-platforms); null for a rootfs.
    public sealed record Result(CatalogResult Catalog, SbomSubject Subject, ImmutableArray<KeyValuePair<string, string>> Properties, Platform? Platform = null);

    /// Catalogs the image, or with --all-platforms every platform's image of a multi-platform index.
    public static async Task<IReadOnlyList<Result>> CatalogAsync(string target, Options options, IReadOnlyList<ICataloger> catalogers,
        CatalogOptions catalogOptions, IProgress<CatalogProgress>? progress, Action<string>? status, CancellationToken ct)
    {
        var spec = ImageSources.Parse(target);
        var active = catalogOptions.Only is null ? catalogers : catalogers.Where(c => catalogOptions.Only.Contains(c.Name)).ToList();
        if (spec.Kind == ImageSourceKind.RootDirectory)
        {
            if (!Directory.Exists(spec.Path)) throw new InputException($"Cannot read {target}: directory {spec.Path} does not exist.");
            var rootfs = new RootFsTree(spec.Path!);
            var rootResult = await Catalog.RunAsync(rootfs, catalogers, catalogOptions, progress, ct).ConfigureAwait(false);
            var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(spec.Path!)));
            return [new Result(rootResult, new SbomSubject { Name = name, Kind = SubjectKind.Image }, OsProperties(rootfs))];
        }

        Platform? platform = null;
        if (options.Platform is { } p)
        {
            platform = Platform.TryParse(p, out var parsed) ? parsed
                : throw new UsageException($"--platform '{p}' is not a platform: write OS/ARCH[/VARIANT], e.g. linux/arm64.");
        }
        status?.Invoke($"Resolving {target}…");
        var images = await ImageSources.ResolveImagesAsync(spec,
            new ImageSourceOptions { Platform = platform, Insecure = options.Insecure, AllPlatforms = options.AllPlatforms }, ct).ConfigureAwait(false);
        try
        {
            var results = new List<Result>();
            foreach (var image in images)
                results.Add(await CatalogImageAsync(image, spec, target, options, catalogers, active, catalogOptions, progress, status, ct).ConfigureAwait(false));
            return results;
        }
        finally
        {
            foreach (var image in images) image.Dispose();
        }
    }

    private static async Task<Result> CatalogImageAsync(ResolvedImage image, ImageSourceSpec spec, string target, Options options,
        IReadOnlyList<ICataloger> catalogers, IReadOnlyList<ICataloger> active, CatalogOptions catalogOptions,
        IProgress<CatalogProgress>? progress, Action<string>? status, CancellationToken ct)
    {

        status?.Invoke($"Reading {image.Layers.Count} layers of {target}…");
        // earlier versions of rewritten files are always kept: they tell which layer introduced a package (a dpkg
        // status file is rewritten by every layer that installs something) and, with --layers all, what was deleted
        using var tree = await ImageFileTree.ReadAsync(image.Layers, path => ImageFileTree.Decide(active, path), ImageFileTree.HeadTestFor(active), $"image {target}",
            new LayerReadOptions { KeepHidden = true, MaxInMemoryBytes = 16L << 20 }, ct).ConfigureAwait(false);
        var result = await Catalog.RunAsync(tree, catalogers, catalogOptions, progress, ct).ConfigureAwait(false);

        // (purl, path) → the lowest layer whose version of that file already listed the package
        var earliest = new Dictionary<(Purl, string), LayerId>();
        var hiddenPackages = new List<(Package Package, LayerId Layer)>();
        foreach (var layer in tree.Layers)
        {
            var hidden = await Catalog.RunAsync(tree.HiddenTree(layer), catalogers, catalogOptions, null, ct).ConfigureAwait(false);
            foreach (var pkg in hidden.Packages)
            {
                hiddenPackages.Add((pkg, layer));
                foreach (var l in pkg.Locations)
                    if (!earliest.TryGetValue((pkg.Purl, l.Path), out var seen) || seen.Index > layer.Index) earliest[(pkg.Purl, l.Path)] = layer;
            }
        }

        var packages = result.Packages.Select(pkg => pkg with
        {
            Locations = [.. pkg.Locations.Select(l =>
            {
                var layer = earliest.TryGetValue((pkg.Purl, l.Path), out var first) ? first : tree.LayerOf(new FilePath(OuterFile(l.Path)));
                return layer is null ? l : l with { Layer = layer.Digest.ToString() };
            })],
        }).ToList();

        if (options.AllLayers)
        {
            // packages that later layers deleted or replaced: seen in a hidden file version, absent from the squash
            var present = packages.Select(pkg => pkg.Purl).ToHashSet();
            foreach (var (pkg, layer) in hiddenPackages)
            {
                if (present.Contains(pkg.Purl)) continue;
                packages.Add(pkg.WithProperty("bulwark:layer-status", "deleted") with
                {
                    Locations = [.. pkg.Locations.Select(l => l with { Layer = layer.Digest.ToString() })],
                });
            }
        }

        // the tree's walk already reported the layer warnings (hostile entries, devices) into result.Warnings
        var catalog = result with { Packages = Catalog.Merge(packages) };
        return new Result(catalog, Subject(image, target, spec.Tag), ImageProperties(image).AddRange(OsProperties(tree)), image.Platform);
    }

    // "app.jar!/BOOT-INF/lib/x.jar" lives in app.jar
    private static string OuterFile(string path) => path.Split("!/", 2)[0];

    private static SbomSubject Subject(ResolvedImage image, string target, string? layoutTag)
    {
        var reference = image.Reference;
        var name = reference is null ? layoutTag ?? target : $"{reference.Registry}/{reference.Repository}";
        var qualifiers = new List<KeyValuePair<string, string>>();
        if (reference is not null) qualifiers.Add(new("repository_url", $"{reference.Registry}/{reference.Repository}"));
        if (reference?.Tag is { } tag) qualifiers.Add(new("tag", tag));
        qualifiers.Add(new("arch", image.Platform.Architecture));
        if (reference is null && layoutTag is not null) qualifiers.Add(new("tag", layoutTag));
        var purlName = reference is null ? "image" : reference.Repository.Split('/')[^1];
        return new SbomSubject
        {
            Name = name,
            Version = image.ManifestDigest.ToString(),
            Kind = SubjectKind.Image,
            // purl-spec "oci" type: the name is the last path segment, the version the manifest digest
            Purl = new Purl("oci", null, purlName, image.ManifestDigest.ToString(), qualifiers),
            Hashes = [image.ManifestDigest],
        };
    }

    private static ImmutableArray<KeyValuePair<string, string>> ImageProperties(ResolvedImage image)
    {
        var props = ImmutableArray.CreateBuilder<KeyValuePair<string, string>>();
        props.Add(new("bulwark:image:source", image.Source));
        if (image.Reference is { } r) props.Add(new("bulwark:image:reference", r.ToString()));
        props.Add(new("bulwark:image:manifest-digest", image.ManifestDigest.ToString()));
        props.Add(new("bulwark:image:manifest-media-type", image.ManifestMediaType));
        if (image.IndexDigest is { } index) props.Add(new("bulwark:image:index-digest", index.ToString()));
        props.Add(new("bulwark:image:config-digest", image.ConfigDigest.ToString()));
        props.Add(new("bulwark:image:platform", image.Platform.ToString()));
        foreach (var t in image.RepoTags) props.Add(new("bulwark:image:repo-tag", t));
        foreach (var d in image.RepoDigests) props.Add(new("bulwark:image:repo-digest", d));
        for (var i = 0; i < image.Layers.Count; i++)
        {
            var l = image.Layers[i];
            props.Add(new("bulwark:image:layer", $"{i}: {l.Digest}{(l.DiffId is { } diff ? $" (diff-id {diff})" : "")}, {l.Size:D} bytes"));
        }
        foreach (var (k, v) in image.Labels.OrderBy(kv => kv.Key, StringComparer.Ordinal)) props.Add(new($"bulwark:image:label:{k}", v));
        return props.ToImmutable();
    }

    private static ImmutableArray<KeyValuePair<string, string>> OsProperties(IFileTree tree)
    {
        if (OsRelease.For(tree) is not { } os) return [];
        var props = ImmutableArray.CreateBuilder<KeyValuePair<string, string>>();
        props.Add(new("bulwark:os:id", os.Id));
        if (!string.IsNullOrEmpty(os.VersionId)) props.Add(new("bulwark:os:version-id", os.VersionId));
        if (!string.IsNullOrEmpty(os.Codename)) props.Add(new("bulwark:os:codename", os.Codename));
        if (!string.IsNullOrEmpty(os.PrettyName)) props.Add(new("bulwark:os:pretty-name", os.PrettyName));
        return props.ToImmutable();
    }
}
