// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;
using Bulwark.Oci.Layers;

namespace Bulwark.Oci.Sources;

/// Reads images from an OCI image layout (image-spec image-layout.md): the oci-layout marker, index.json, and
/// content-addressed blobs under blobs/&lt;algorithm&gt;/&lt;hex&gt;, in a directory or inside an archive.
/// <paramref name="naming"/> is the source without tag or digest ("oci:DIR"), to suggest choices in errors.
internal sealed class OciLayoutReader(LayoutFiles files, string naming)
{
    /// Nested indexes deeper than this are refused (real ones nest once: index.json → image index → manifests).
    private const int MaxIndexDepth = 4;

    /// The images the selection names: one for a platform, or every platform's image.
    public async Task<IReadOnlyList<ResolvedImage>> ResolveAsync(string? tag, Digest? digest, Platform? platform, bool allPlatforms, CancellationToken ct)
    {
        await CheckLayoutMarkerAsync(ct).ConfigureAwait(false);
        var indexJson = await files.ReadSmallAsync("index.json", OciDocument.MaxManifestBytes, "index.json", ct).ConfigureAwait(false);
        var index = ImageIndex.Parse(indexJson, $"{files.Origin}: index.json", MediaTypes.OciIndex);

        var selected = await SelectAsync(index, tag, digest, ct).ConfigureAwait(false);
        var manifests = new List<(Descriptor Manifest, Digest? Index)>();
        if (selected.Count == 1)
        {
            await ExpandAsync(selected[0], null, platform ?? Platform.Host, allPlatforms, 0, manifests, ct).ConfigureAwait(false);
        }
        else
        {
            // several top-level entries under one tag: one per platform, like an index written inline
            var inline = new ImageIndex(MediaTypes.OciIndex, selected);
            var choices = allPlatforms ? PlatformChoice.Images(inline)
                : [PlatformChoice.Choose(inline, platform ?? Platform.Host, $"{files.Origin}: index.json (tag '{tag}')")];
            foreach (var d in choices) await ExpandAsync(d, null, platform ?? Platform.Host, allPlatforms, 0, manifests, ct).ConfigureAwait(false);
        }

        var images = new List<ResolvedImage>();
        foreach (var (manifest, indexDigest) in manifests)
            images.Add(await ReadImageAsync(manifest, indexDigest, selected.Count == 1 ? selected[0] : manifest, ct).ConfigureAwait(false));
        return images;
    }

    private async Task CheckLayoutMarkerAsync(CancellationToken ct)
    {
        if (files.LengthOf("oci-layout") is null)
        {
            throw new InputException(files.LengthOf("manifest.json") is not null
                ? $"{files.Origin}: {files.Describe("")} is not an OCI image layout but `docker save` output (it has manifest.json); read it as docker-archive:{files.Describe("")}."
                : $"{files.Origin}: {files.Describe("")} is not an OCI image layout: it has no oci-layout file. Make one with 'skopeo copy SOURCE oci:DIR:TAG'.");
        }
        var marker = await files.ReadSmallAsync("oci-layout", 64 * 1024, "oci-layout", ct).ConfigureAwait(false);
        using var doc = JsonFields.Parse(marker, $"{files.Origin}: oci-layout");
        var version = JsonFields.Root(doc, $"{files.Origin}: oci-layout").RequiredString("imageLayoutVersion");
        if (!version.StartsWith("1.", StringComparison.Ordinal))
            throw new InputException($"{files.Origin}: oci-layout says imageLayoutVersion {version}; only 1.x layouts are understood.");
    }

    private async Task<IReadOnlyList<Descriptor>> SelectAsync(ImageIndex index, string? tag, Digest? digest, CancellationToken ct)
    {
        var entries = index.Manifests;
        if (tag is not null)
        {
            var tagged = entries.Where(d => d.RefName == tag).ToList();
            if (tagged.Count > 0) return tagged;
            var tags = entries.Select(d => d.RefName).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();
            throw new InputException(tags.Count == 0
                ? $"{files.Origin}: no image is tagged '{tag}'; the layout has no tags, so name an image by digest: {Choices(entries)}."
                : $"{files.Origin}: no image is tagged '{tag}'; the tags are {string.Join(", ", tags)}.");
        }
        if (digest is { } want)
        {
            var listed = entries.Where(d => d.Digest == want).ToList();
            if (listed.Count > 0) return [listed[0]];
            // a digest that is not listed at top level can still be a blob in the layout (a platform's manifest)
            var length = files.LengthOf(BlobPath(want))
                ?? throw new InputException($"{files.Origin}: the layout has no manifest {want}; it holds {Choices(entries)}.");
            if (length > OciDocument.MaxManifestBytes)
                throw new InputException($"{files.Origin}: blob {want} is {length} bytes, too large to be a manifest or index.");
            var bytes = await ReadBlobAsync(new Descriptor("", want, length), OciDocument.MaxManifestBytes, ct).ConfigureAwait(false);
            var mediaType = OciDocument.Parse(bytes, $"{files.Origin}: blob {want}") switch
            {
                ImageManifest m => m.MediaType,
                ImageIndex i => i.MediaType,
                _ => "",
            };
            return [new Descriptor(mediaType, want, length)];
        }
        return entries.Count switch
        {
            0 => throw new InputException($"{files.Origin}: index.json lists no images; the layout is empty."),
            1 => entries,
            _ => throw new InputException($"{files.Origin}: the layout holds {entries.Count} images; name one: {Choices(entries)}."),
        };
    }

    private string Choices(IEnumerable<Descriptor> entries) =>
        string.Join(", ", entries.Select(d => d.RefName is { } n ? $"{naming}:{n}" : $"{naming}@{d.Digest}").Distinct());

    private async Task ExpandAsync(Descriptor d, Digest? parentIndex, Platform platform, bool allPlatforms, int depth, List<(Descriptor, Digest?)> found, CancellationToken ct)
    {
        var mediaType = d.MediaType;
        ImageIndex? index = null;
        if (mediaType.Length == 0 || OciDocument.IsIndex(mediaType))
        {
            var bytes = await ReadBlobAsync(d, OciDocument.MaxManifestBytes, ct).ConfigureAwait(false);
            var document = OciDocument.Parse(bytes, $"{files.Origin}: blob {d.Digest}", mediaType.Length == 0 ? null : mediaType);
            index = document as ImageIndex;
            if (document is ImageManifest m) d = d with { MediaType = m.MediaType };
        }
        else if (!OciDocument.IsManifest(mediaType))
        {
            throw new InputException($"{files.Origin}: {d.Digest} has media type '{mediaType}', which is not an image manifest or index; it is not a container image.");
        }
        if (index is null)
        {
            found.Add((d, parentIndex));
            return;
        }
        if (depth >= MaxIndexDepth)
            throw new InputException($"{files.Origin}: image indexes nest more than {MaxIndexDepth} deep at {d.Digest}; refusing it.");
        var where = $"{files.Origin}: image index {d.Digest}";
        var children = allPlatforms ? PlatformChoice.Images(index) : [PlatformChoice.Choose(index, platform, where)];
        foreach (var child in children)
            await ExpandAsync(child, d.Digest, platform, allPlatforms, depth + 1, found, ct).ConfigureAwait(false);
    }

    private async Task<ResolvedImage> ReadImageAsync(Descriptor manifestDescriptor, Digest? indexDigest, Descriptor named, CancellationToken ct)
    {
        var manifestBytes = await ReadBlobAsync(manifestDescriptor, OciDocument.MaxManifestBytes, ct).ConfigureAwait(false);
        var manifest = ImageManifest.Parse(manifestBytes, $"{files.Origin}: manifest {manifestDescriptor.Digest}", manifestDescriptor.MediaType);
        var configBytes = await ReadBlobAsync(manifest.Config, ImageConfig.MaxConfigBytes, ct).ConfigureAwait(false);
        var config = ImageParts.ParseConfig(manifest, configBytes, $"{files.Origin}: config {manifest.Config.Digest}");

        var layers = new List<LayerRef>(manifest.Layers.Count);
        for (var i = 0; i < manifest.Layers.Count; i++)
        {
            var layer = manifest.Layers[i];
            var path = CheckedBlobPath(layer, $"layer {i + 1}");
            layers.Add(new LayerRef(layer.Digest, config.DiffIds[i], layer.MediaType, layer.Size,
                _ => Task.FromResult<Stream>(new DigestVerifyingStream(files.Open(path), layer.Digest, layer.Size, files.Origin)))
            {
                OpenUnverified = () => files.Open(path),
            });
        }

        // a ref name that is a full reference ("example.com/app:1") or containerd's image name says where it came from
        ImageReference? reference = null;
        if (named.Annotations.TryGetValue("io.containerd.image.name", out var imageName) && ImageReference.TryParse(imageName, out var r1)) reference = r1;
        else if (named.RefName is { } refName && refName.Contains('/', StringComparison.Ordinal) && ImageReference.TryParse(refName, out var r2)) reference = r2;

        return new ResolvedImage
        {
            Source = files.Origin,
            Reference = reference,
            ManifestDigest = manifestDescriptor.Digest,
            ManifestMediaType = manifest.MediaType,
            ManifestJson = manifestBytes,
            IndexDigest = indexDigest,
            ConfigDigest = manifest.Config.Digest,
            ConfigJson = configBytes,
            Config = config,
            Platform = config.Platform,
            Layers = layers,
            RepoTags = reference is { Tag: not null } ? [reference.Familiar] : [],
            RepoDigests = reference is not null ? [$"{reference.Name}@{manifestDescriptor.Digest}"] : [],
            Labels = config.Labels,
        };
    }

    private static string BlobPath(Digest d) => $"blobs/{d.Prefix}/{d.Hex}";

    /// The blob's path after checking it is there with the size its descriptor declares.
    private string CheckedBlobPath(Descriptor d, string what)
    {
        var path = BlobPath(d.Digest);
        var length = files.LengthOf(path);
        if (length is null)
            throw new InputException(d.Urls.Count > 0
                ? $"{files.Origin}: {what} {d.Digest} is a foreign layer (fetched from {d.Urls[0]}) and is not in the layout; copy the image with its foreign layers (skopeo copy --all)."
                : $"{files.Origin}: {what} {d.Digest} is missing ({files.Describe(path)}); the layout is incomplete: copy the image again.");
        if (length != d.Size)
            throw new InputException($"{files.Origin}: {what} {d.Digest} should be {d.Size} bytes but {files.Describe(path)} holds {length}; the layout is corrupt: copy the image again.");
        return path;
    }

    private async Task<byte[]> ReadBlobAsync(Descriptor d, int maxBytes, CancellationToken ct)
    {
        var what = d.MediaType.Length == 0 ? "blob" : OciDocument.IsIndex(d.MediaType) ? "image index" : OciDocument.IsManifest(d.MediaType) ? "manifest" : "config";
        if (d.Size > maxBytes)
            throw new InputException($"{files.Origin}: {what} {d.Digest} declares {d.Size} bytes, more than the {maxBytes} allowed; refusing it.");
        var path = CheckedBlobPath(d, what);
        return await DigestVerifyingStream.ReadAllAsync(files.Open(path), d.Digest, d.Size, files.Origin, maxBytes, ct).ConfigureAwait(false);
    }
}

/// Checks shared by every source once a manifest and its config are in hand.
internal static class ImageParts
{
    public static ImageConfig ParseConfig(ImageManifest manifest, byte[] configJson, string where)
    {
        if (manifest.Config.MediaType is not (MediaTypes.OciConfig or MediaTypes.DockerConfig))
            throw new InputException($"{where} has media type '{manifest.Config.MediaType}': the manifest is an artifact, not a container image.");
        var config = ImageConfig.Parse(configJson, where);
        if (config.DiffIds.Count != manifest.Layers.Count)
            throw new InputException($"{where} lists {config.DiffIds.Count} diff_ids but the manifest has {manifest.Layers.Count} layers; the image is corrupt.");
        return config;
    }
}
