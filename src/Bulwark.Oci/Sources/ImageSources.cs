// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using Bulwark.Core;
using Bulwark.Oci.Registry;

namespace Bulwark.Oci.Sources;

/// Where an image comes from.
public enum ImageSourceKind
{
    /// oci:DIR[:TAG|@DIGEST], an OCI image layout directory.
    OciLayout,
    /// oci-archive:FILE[:TAG|@DIGEST], a tar (optionally gzip) of an OCI image layout.
    OciArchive,
    /// docker-archive:FILE[:REF|:@N], `docker save` output.
    DockerArchive,
    /// dir:ROOTFS, an unpacked root filesystem (read by the layer reader, not here).
    RootDirectory,
    /// registry:REF or a bare reference, pulled through the registry client.
    Registry,
}

/// A parsed image source argument. <see cref="Text"/> is what the user wrote.
public sealed record ImageSourceSpec(ImageSourceKind Kind, string Text)
{
    /// The directory or archive file (layouts, archives, dir:).
    public string? Path { get; init; }
    /// oci:/oci-archive: tag (org.opencontainers.image.ref.name).
    public string? Tag { get; init; }
    /// oci:/oci-archive: manifest or index digest.
    public Digest? Digest { get; init; }
    /// registry: reference, or the image a docker-archive: names.
    public ImageReference? Reference { get; init; }
    /// docker-archive:FILE:@N, the N-th image of manifest.json (from 0).
    public int? Position { get; init; }

    /// True for the local image files <see cref="ImageSources"/> reads (layouts and archives).
    public bool IsLocalImage => Kind is ImageSourceKind.OciLayout or ImageSourceKind.OciArchive or ImageSourceKind.DockerArchive;

    public override string ToString() => Text;
}

/// Parses image source arguments and resolves them to images: OCI layouts, oci-archive and docker-archive files, and
/// registry references (dir: is read by the layer reader).
public static class ImageSources
{
    private const string Usage = "oci:DIR[:TAG], oci-archive:FILE[:TAG], docker-archive:FILE[:REF], dir:ROOTFS, registry:REF, or a reference such as ubuntu:22.04";

    /// Parses "oci:DIR[:TAG]", "oci-archive:FILE", "docker-archive:FILE[:REF]", "dir:ROOTFS", "registry:REF", or a
    /// bare image reference (which means registry). Throws <see cref="UsageException"/> for anything else.
    public static ImageSourceSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (TakePrefix(text, "oci:") is { } oci) return Layout(ImageSourceKind.OciLayout, text, oci, "oci:");
        if (TakePrefix(text, "oci-archive:") is { } ociArchive) return Layout(ImageSourceKind.OciArchive, text, ociArchive, "oci-archive:");
        if (TakePrefix(text, "docker-archive:") is { } dockerArchive) return DockerArchive(text, dockerArchive);
        if (TakePrefix(text, "dir:") is { } dir)
        {
            return dir.Length > 0 ? new ImageSourceSpec(ImageSourceKind.RootDirectory, text) { Path = dir }
                : throw new UsageException($"'{text}' names no directory: write dir:ROOTFS.");
        }
        if ((TakePrefix(text, "registry:") ?? TakePrefix(text, "docker://")) is { } registry)
        {
            return ImageReference.TryParse(registry, out var r, out var why)
                ? new ImageSourceSpec(ImageSourceKind.Registry, text) { Reference = r }
                : throw new UsageException($"'{text}': '{registry}' is not an image reference: {why}.");
        }
        if (TakePrefix(text, "docker-daemon:") is not null)
            throw new UsageException($"'{text}': Bulwark reads images without a Docker engine; run 'docker save IMAGE -o image.tar' and scan docker-archive:image.tar.");
        if (ImageReference.TryParse(text, out var bare, out var reason))
            return new ImageSourceSpec(ImageSourceKind.Registry, text) { Reference = bare };
        throw new UsageException($"'{text}' is not an image source ({Usage}): as a reference, {reason}.");
    }

    private static string? TakePrefix(string text, string prefix) =>
        text.StartsWith(prefix, StringComparison.Ordinal) ? text[prefix.Length..] : null;

    /// DIR[:TAG] or DIR@sha256:…; a colon belongs to the path when the whole text names an existing file or directory
    /// or what follows it contains '/'.
    private static ImageSourceSpec Layout(ImageSourceKind kind, string text, string rest, string prefix)
    {
        var spec = new ImageSourceSpec(kind, text);
        if (rest.Length == 0) throw new UsageException($"'{text}' names no {(kind == ImageSourceKind.OciLayout ? "directory" : "file")}: write {prefix}PATH[:TAG].");
        if (File.Exists(rest) || Directory.Exists(rest)) return spec with { Path = rest };
        var at = rest.LastIndexOf('@');
        if (at > 0 && rest.IndexOf(':', at) > at)
        {
            var digestText = rest[(at + 1)..];
            return OciDigests.TryParse(digestText) is { } d ? spec with { Path = rest[..at], Digest = d }
                : throw new UsageException($"'{text}': '{digestText}' is not a digest: write {prefix}PATH@sha256:<64 hex>.");
        }
        var colon = rest.LastIndexOf(':');
        if (colon > 0 && !rest[(colon + 1)..].Contains('/', StringComparison.Ordinal))
        {
            var tag = rest[(colon + 1)..];
            return tag.Length > 0 ? spec with { Path = rest[..colon], Tag = tag }
                : throw new UsageException($"'{text}' ends with ':' but names no tag: write {prefix}PATH:TAG or leave out the ':'.");
        }
        return spec with { Path = rest };
    }

    /// FILE[:REF] where REF is NAME:TAG or @N; the file is the longest-known prefix that exists, else up to the first ':'.
    private static ImageSourceSpec DockerArchive(string text, string rest)
    {
        var spec = new ImageSourceSpec(ImageSourceKind.DockerArchive, text);
        if (rest.Length == 0) throw new UsageException($"'{text}' names no file: write docker-archive:FILE[:REF].");
        if (File.Exists(rest)) return spec with { Path = rest };
        var split = -1;
        for (var i = rest.IndexOf(':'); i > 0; i = rest.IndexOf(':', i + 1))
        {
            if (File.Exists(rest[..i])) { split = i; break; }
            if (split < 0) split = i;
        }
        if (split < 0) return spec with { Path = rest };
        var path = rest[..split];
        var reference = rest[(split + 1)..];
        if (reference.StartsWith('@'))
        {
            return int.TryParse(reference.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                ? spec with { Path = path, Position = n }
                : throw new UsageException($"'{text}': '{reference}' is not an image position; write docker-archive:FILE:@0 for the first image.");
        }
        return ImageReference.TryParse(reference, out var r, out var why)
            ? spec with { Path = path, Reference = r }
            : throw new UsageException($"'{text}': '{reference}' is not an image reference: {why}.");
    }

    /// Resolves a source to the image for <paramref name="platform"/> (the host's when null); registry sources
    /// use Docker's credentials over HTTPS (pass <see cref="ImageSourceOptions"/> for more).
    public static Task<ResolvedImage> ResolveAsync(ImageSourceSpec spec, Platform? platform, CancellationToken ct) =>
        ResolveAsync(spec, new ImageSourceOptions { Platform = platform }, ct);

    /// Resolves a source to one image: the options' platform (the host's when null). Refuses
    /// <see cref="ImageSourceOptions.AllPlatforms"/>, which needs <see cref="ResolveImagesAsync"/>.
    public static async Task<ResolvedImage> ResolveAsync(ImageSourceSpec spec, ImageSourceOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.AllPlatforms)
            throw new ArgumentException("AllPlatforms resolves several images: call ResolveImagesAsync.", nameof(options));
        var images = await ResolveImagesAsync(spec, options, ct).ConfigureAwait(false);
        return images[0];
    }

    /// Resolves a source to every platform's image (--all-platforms). Images from one archive or registry share its
    /// spooled copy or client, which is released when the last of them is disposed.
    public static Task<IReadOnlyList<ResolvedImage>> ResolveAllPlatformsAsync(ImageSourceSpec spec, CancellationToken ct) =>
        ResolveImagesAsync(spec, new ImageSourceOptions { AllPlatforms = true }, ct);

    /// Resolves a source to the images the options select: one platform's, or every platform's when
    /// <see cref="ImageSourceOptions.AllPlatforms"/> is set. Dispose every image returned.
    public static async Task<IReadOnlyList<ResolvedImage>> ResolveImagesAsync(ImageSourceSpec spec, ImageSourceOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        var platform = options.Platform;
        var allPlatforms = options.AllPlatforms;
        if (spec.IsLocalImage && string.IsNullOrEmpty(spec.Path))
            throw new ArgumentException($"{spec.Kind} source '{spec.Text}' has no path.", nameof(spec));
        switch (spec.Kind)
        {
            case ImageSourceKind.OciLayout:
            {
                var files = new DirectoryFiles(spec.Path!, spec.Text);
                return await new OciLayoutReader(files, "oci:" + spec.Path).ResolveAsync(spec.Tag, spec.Digest, platform, allPlatforms, ct).ConfigureAwait(false);
            }
            case ImageSourceKind.OciArchive:
            {
                var archive = await TarArchive.OpenAsync(spec.Path!, spec.Text, ct).ConfigureAwait(false);
                var handedOver = false;
                try
                {
                    var images = await new OciLayoutReader(archive, "oci-archive:" + spec.Path).ResolveAsync(spec.Tag, spec.Digest, platform, allPlatforms, ct).ConfigureAwait(false);
                    var shared = new SharedResource(archive, images.Count);
                    handedOver = true;
                    return images.Select(i => i with { Resources = shared.Lease() }).ToList();
                }
                finally
                {
                    if (!handedOver) archive.Dispose();
                }
            }
            case ImageSourceKind.DockerArchive:
            {
                var archive = await TarArchive.OpenAsync(spec.Path!, spec.Text, ct).ConfigureAwait(false);
                var handedOver = false;
                try
                {
                    var image = await new DockerArchiveReader(archive).ResolveAsync(spec.Reference, spec.Position, ct).ConfigureAwait(false);
                    handedOver = true;   // the image's Resources is the archive
                    return [image];
                }
                finally
                {
                    if (!handedOver) archive.Dispose();
                }
            }
            case ImageSourceKind.Registry:
            {
                var reference = spec.Reference ?? throw new ArgumentException($"registry source '{spec.Text}' has no reference.", nameof(spec));
                var client = new RegistryClient(options.RegistryOptions);
                var handedOver = false;
                try
                {
                    var images = await new RegistryImageReader(client, reference, spec.Text).ResolveAsync(platform, allPlatforms, ct).ConfigureAwait(false);
                    var shared = new SharedResource(client, images.Count);
                    handedOver = true;
                    return images.Select(i => i with { Resources = shared.Lease() }).ToList();
                }
                finally
                {
                    if (!handedOver) client.Dispose();
                }
            }
            default:
                throw new ArgumentException($"{spec.Kind} sources ({spec.Text}) are read by the layer reader, not by ImageSources.", nameof(spec));
        }
    }

    /// One resource shared by several images: released when every lease is disposed.
    private sealed class SharedResource(IDisposable inner, int leases)
    {
        private int _left = leases;

        public IDisposable Lease() => new LeaseHandle(this);

        private void Release()
        {
            if (Interlocked.Decrement(ref _left) == 0) inner.Dispose();
        }

        private sealed class LeaseHandle(SharedResource owner) : IDisposable
        {
            private int _disposed;

            public void Dispose()
            {
                if (Interlocked.Exchange(ref _disposed, 1) == 0) owner.Release();
            }
        }
    }
}
