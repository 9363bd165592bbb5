// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;
using Bulwark.Oci.Layers;
using Bulwark.Oci.Registry;

namespace Bulwark.Oci.Sources;

/// Reads images from a registry (registry:REF or a bare reference): the manifest or index the reference names, the
/// platform's manifest from an index, the verified config, and layers that stream verified from the registry.
/// The client stays open as long as the images' layers may be read; it is their <see cref="ResolvedImage.Resources"/>.
internal sealed class RegistryImageReader(RegistryClient client, ImageReference reference, string source)
{
    /// Nested indexes deeper than this are refused (real ones do not nest at all).
    private const int MaxIndexDepth = 4;

    public async Task<IReadOnlyList<ResolvedImage>> ResolveAsync(Platform? platform, bool allPlatforms, CancellationToken ct)
    {
        var top = await client.GetManifestAsync(reference, ct: ct).ConfigureAwait(false);
        var manifests = new List<(RegistryManifest Manifest, ImageManifest Parsed, Digest? Index)>();
        await ExpandAsync(top, null, null, platform ?? Platform.Host, allPlatforms, 0, manifests, ct).ConfigureAwait(false);
        var images = new List<ResolvedImage>(manifests.Count);
        foreach (var (raw, parsed, index) in manifests)
            images.Add(await ReadImageAsync(raw, parsed, index, ct).ConfigureAwait(false));
        return images;
    }

    private string Where(Digest digest, string what) => $"{source}: {what} {digest}";

    private async Task ExpandAsync(RegistryManifest raw, Descriptor? pointer, Digest? parentIndex, Platform platform, bool allPlatforms, int depth,
        List<(RegistryManifest, ImageManifest, Digest?)> found, CancellationToken ct)
    {
        var where = Where(raw.Digest, pointer is null ? "manifest" : "manifest (from the index)");
        if (pointer is not null && raw.Bytes.Length != pointer.Size)
            throw new RegistryException(RegistryFailure.DigestMismatch,
                $"{where} is {raw.Bytes.Length} bytes, but the index gives {pointer.Size}. The registry served different content.");
        var document = OciDocument.Parse(raw.Bytes, where, DeclaredType(raw.MediaType, pointer));
        if (document is ImageManifest manifest)
        {
            found.Add((raw, manifest, parentIndex));
            return;
        }
        var index = (ImageIndex)document;
        if (depth >= MaxIndexDepth)
            throw new InputException($"{source}: image indexes nest more than {MaxIndexDepth} deep at {raw.Digest}; refusing it.");
        var indexWhere = Where(raw.Digest, "image index");
        var children = allPlatforms ? PlatformChoice.Images(index) : [PlatformChoice.Choose(index, platform, indexWhere)];
        if (children.Count == 0) throw new InputException($"{indexWhere} lists no image manifests; there is nothing to read.");
        foreach (var child in children)
        {
            if (child.MediaType.Length > 0 && !OciDocument.IsManifest(child.MediaType) && !OciDocument.IsIndex(child.MediaType))
                throw new InputException($"{indexWhere}: {child.Digest} has media type '{child.MediaType}', which is not an image manifest or index.");
            if (child.Size > OciDocument.MaxManifestBytes)
                throw new InputException($"{indexWhere}: manifest {child.Digest} declares {child.Size} bytes, more than the {OciDocument.MaxManifestBytes} allowed; refusing it.");
            // by digest: GetManifestAsync checks the content against it, so the index decides what is read
            var fetched = await client.GetManifestAsync(reference with { Digest = child.Digest },
                child.MediaType.Length > 0 ? [child.MediaType] : null, ct).ConfigureAwait(false);
            await ExpandAsync(fetched, child, raw.Digest, platform, allPlatforms, depth + 1, found, ct).ConfigureAwait(false);
        }
    }

    /// The media type to check the document against: the one the registry or the pointing descriptor declared, when
    /// it is a manifest or index type (a registry may answer a generic type, which says nothing).
    private static string? DeclaredType(string served, Descriptor? pointer)
    {
        if (pointer is { MediaType.Length: > 0 } p) return p.MediaType;
        return OciDocument.IsManifest(served) || OciDocument.IsIndex(served) ? served : null;
    }

    private async Task<ResolvedImage> ReadImageAsync(RegistryManifest raw, ImageManifest manifest, Digest? indexDigest, CancellationToken ct)
    {
        var configWhere = Where(manifest.Config.Digest, "config");
        if (manifest.Config.Size > ImageConfig.MaxConfigBytes)
            throw new InputException($"{configWhere} declares {manifest.Config.Size} bytes, more than the {ImageConfig.MaxConfigBytes} bytes allowed for an image config; refusing it.");
        if (manifest.Config.MediaType is not (MediaTypes.OciConfig or MediaTypes.DockerConfig))
            throw new InputException($"{configWhere} has media type '{manifest.Config.MediaType}': the manifest is an artifact, not a container image.");
        var blob = await client.GetBlobAsync(reference.Registry, reference.Repository, manifest.Config.Digest, manifest.Config.Size, ct).ConfigureAwait(false);
        var configBytes = await DigestVerifyingStream.ReadAllAsync(blob, manifest.Config.Digest, manifest.Config.Size, reference.Name,
            ImageConfig.MaxConfigBytes, ct).ConfigureAwait(false);
        var config = ImageParts.ParseConfig(manifest, configBytes, configWhere);

        var layers = new List<LayerRef>(manifest.Layers.Count);
        for (var i = 0; i < manifest.Layers.Count; i++)
        {
            var layer = manifest.Layers[i];
            layers.Add(new LayerRef(layer.Digest, config.DiffIds[i], layer.MediaType, layer.Size,
                async token => await client.GetBlobAsync(reference.Registry, reference.Repository, layer.Digest, layer.Size, token).ConfigureAwait(false)));
        }

        return new ResolvedImage
        {
            Source = source,
            Reference = reference,
            ManifestDigest = raw.Digest,
            ManifestMediaType = manifest.MediaType,
            ManifestJson = raw.Bytes,
            IndexDigest = indexDigest,
            ConfigDigest = manifest.Config.Digest,
            ConfigJson = configBytes,
            Config = config,
            Platform = config.Platform,
            Layers = layers,
            RepoTags = reference.Tag is not null ? [(reference with { Digest = null }).Familiar] : [],
            RepoDigests = [$"{reference.Name}@{raw.Digest}"],
            Labels = config.Labels,
        };
    }
}
