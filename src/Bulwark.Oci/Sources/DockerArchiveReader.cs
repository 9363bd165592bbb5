// SPDX-License-Identifier: Apache-2.0
using System.Security.Cryptography;
using HashAlgorithm = Bulwark.Core.HashAlgorithm;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bulwark.Core;
using Bulwark.Oci.Layers;

namespace Bulwark.Oci.Sources;

/// Reads `docker save` (and `skopeo copy … docker-archive:`) archives: manifest.json lists each image's config file,
/// RepoTags and layer files; the legacy `repositories` file maps names to the top layer's directory.
///
/// Layers are stored uncompressed by Docker and skopeo, so a layer's blob digest is its diff-id from the config and
/// the stream verifies it. Docker 25+ names files blobs/sha256/&lt;hex&gt;, which also gives the digest; only a
/// compressed layer under another name is hashed once while resolving. Docker 25+ also stores the image's OCI
/// manifest (index.json, blobs/): when it names the same config and layers it is the image's manifest. Otherwise the
/// archive has no manifest, so one is made (Docker schema 2, compact JSON, the layers as stored), as skopeo does.
internal sealed partial class DockerArchiveReader(TarArchive files)
{
    private sealed record ArchiveImage(int Position, string Config, IReadOnlyList<string> RepoTags, IReadOnlyList<string> Layers);

    /// Resolves the image named by <paramref name="reference"/> or <paramref name="position"/> (the only image when
    /// neither is given).
    public async Task<ResolvedImage> ResolveAsync(ImageReference? reference, int? position, CancellationToken ct)
    {
        if (files.LengthOf("manifest.json") is null)
        {
            throw new InputException(files.LengthOf("repositories") is not null
                ? $"{files.Origin}: the archive has no manifest.json: it was saved by Docker older than 1.10, which is not supported; save the image again with a current Docker."
                : files.LengthOf("oci-layout") is not null
                    ? $"{files.Origin}: the archive has no manifest.json but is an OCI layout; read it as oci-archive:FILE."
                    : $"{files.Origin}: the archive has no manifest.json; it is not `docker save` output.");
        }
        var images = await ReadManifestAsync(ct).ConfigureAwait(false);
        var image = Choose(images, reference, position);
        return await ReadImageAsync(image, reference, ct).ConfigureAwait(false);
    }

    private async Task<List<ArchiveImage>> ReadManifestAsync(CancellationToken ct)
    {
        var where = $"{files.Origin}: manifest.json";
        var bytes = await files.ReadSmallAsync("manifest.json", OciDocument.MaxManifestBytes, "manifest.json", ct).ConfigureAwait(false);
        using var doc = JsonFields.Parse(bytes, where);
        if (doc.RootElement.ValueKind != JsonValueKind.Array)
            throw new InputException($"{where} is not a JSON array; the archive is corrupt.");
        var images = new List<ArchiveImage>();
        var i = 0;
        foreach (var element in doc.RootElement.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.Object) throw new InputException($"{where}: entry {i} is not an object; the archive is corrupt.");
            var f = new JsonFields(element, where, $"[{i}]");
            var layers = f.Strings("Layers") ?? throw f.Error("Layers", "is missing");
            images.Add(new ArchiveImage(i, f.RequiredString("Config"), f.Strings("RepoTags") ?? [], layers));
            i++;
        }
        if (images.Count == 0) throw new InputException($"{where} lists no images; the archive is empty.");
        await AddLegacyTagsAsync(images, ct).ConfigureAwait(false);
        return images;
    }

    /// The `repositories` file ({"repo": {"tag": "top-layer-id"}}) names images whose manifest.json entry has no RepoTags.
    private async Task AddLegacyTagsAsync(List<ArchiveImage> images, CancellationToken ct)
    {
        if (files.LengthOf("repositories") is null || images.All(im => im.RepoTags.Count > 0)) return;
        var where = $"{files.Origin}: repositories";
        var bytes = await files.ReadSmallAsync("repositories", OciDocument.MaxManifestBytes, "repositories", ct).ConfigureAwait(false);
        using var doc = JsonFields.Parse(bytes, where);
        if (doc.RootElement.ValueKind != JsonValueKind.Object) return;
        var byTopLayer = new List<(string Id, string Tag)>();
        foreach (var repo in doc.RootElement.EnumerateObject())
        {
            if (repo.Value.ValueKind != JsonValueKind.Object) continue;
            foreach (var tag in repo.Value.EnumerateObject())
                if (tag.Value.ValueKind == JsonValueKind.String) byTopLayer.Add((tag.Value.GetString()!, $"{repo.Name}:{tag.Name}"));
        }
        for (var i = 0; i < images.Count; i++)
        {
            if (images[i].RepoTags.Count > 0 || images[i].Layers.Count == 0) continue;
            var top = images[i].Layers[^1];
            var id = top.Contains('/', StringComparison.Ordinal) ? top[..top.IndexOf('/', StringComparison.Ordinal)] : null;
            var tags = byTopLayer.Where(t => t.Id == id).Select(t => t.Tag).ToList();
            if (tags.Count == 0 && images.Count == 1) tags = byTopLayer.Select(t => t.Tag).ToList();
            if (tags.Count > 0) images[i] = images[i] with { RepoTags = tags };
        }
    }

    private ArchiveImage Choose(List<ArchiveImage> images, ImageReference? reference, int? position)
    {
        if (position is { } p)
        {
            return p >= 0 && p < images.Count ? images[p]
                : throw new InputException($"{files.Origin}: there is no image @{p}; the archive holds {Describe(images)}.");
        }
        if (reference is not null)
        {
            foreach (var image in images)
                foreach (var tag in image.RepoTags)
                    if (ImageReference.TryParse(tag, out var r) && r.Name == reference.Name && r.Tag == reference.Tag) return image;
            throw new InputException($"{files.Origin}: no image is tagged {reference.Familiar}; the archive holds {Describe(images)}.");
        }
        return images.Count == 1 ? images[0]
            : throw new InputException($"{files.Origin}: the archive holds {images.Count} images; name one as docker-archive:FILE:REF or docker-archive:FILE:@N: {Describe(images)}.");
    }

    private static string Describe(List<ArchiveImage> images) =>
        string.Join(", ", images.Select(im => im.RepoTags.Count > 0 ? $"@{im.Position} {string.Join(" ", im.RepoTags.Select(Familiar))}" : $"@{im.Position} (untagged, config {im.Config})"));

    private static string Familiar(string tag) => ImageReference.TryParse(tag, out var r) ? r.Familiar : tag;

    private async Task<ResolvedImage> ReadImageAsync(ArchiveImage image, ImageReference? asked, CancellationToken ct)
    {
        var configPath = ArchivePath(image.Config, "config");
        var configJson = await files.ReadSmallAsync(configPath, ImageConfig.MaxConfigBytes, "config", ct).ConfigureAwait(false);
        var configDigest = Digest.Sha256Of(configJson);
        if (DigestInName(configPath) is { } named && named != configDigest)
            throw new BlobDigestException(named, files.Describe(configPath), named.ToString(), configDigest.ToString());
        var where = $"{files.Origin}: config {configDigest}";
        var config = ImageConfig.Parse(configJson, where);
        if (config.DiffIds.Count != image.Layers.Count)
            throw new InputException($"{where} lists {config.DiffIds.Count} diff_ids but manifest.json lists {image.Layers.Count} layers; the archive is corrupt.");

        var layers = new List<LayerRef>(image.Layers.Count);
        for (var i = 0; i < image.Layers.Count; i++)
        {
            var path = ArchivePath(image.Layers[i], $"layer {i + 1}");
            var size = files.LengthOf(path)
                ?? throw new InputException($"{files.Origin}: layer {i + 1} ({image.Layers[i]}) listed in manifest.json is missing from the archive; the archive is incomplete: save it again.");
            var mediaType = await SniffLayerTypeAsync(path, ct).ConfigureAwait(false);
            var digest = DigestInName(path)
                ?? (mediaType == MediaTypes.OciLayerTar ? config.DiffIds[i] : await HashAsync(path, ct).ConfigureAwait(false));
            layers.Add(new LayerRef(digest, config.DiffIds[i], mediaType, size,
                _ => Task.FromResult<Stream>(new DigestVerifyingStream(files.Open(path), digest, size, files.Origin)))
            {
                OpenUnverified = () => files.Open(path),
            });
        }

        // Docker 25+ also writes the OCI layout of the image it saved: its manifest is the real one (the digest the
        // registry knows), so prefer it to a made-up one when it names the same config and layers
        var stored = await FindStoredManifestAsync(configDigest, layers, ct).ConfigureAwait(false);
        var (manifestJson, manifestDigest) = stored is { } s ? (s.Json, s.Digest) : SynthesiseManifest(configDigest, configJson.Length, layers);
        if (stored is { } found)
            layers = layers.Select((l, i) => l with { MediaType = found.Manifest.Layers[i].MediaType }).ToList();
        var tags = image.RepoTags.Select(Familiar).ToList();
        var reference = asked ?? (image.RepoTags.Count > 0 && ImageReference.TryParse(image.RepoTags[0], out var r) ? r : null);
        return new ResolvedImage
        {
            Source = files.Origin,
            Reference = reference,
            ManifestDigest = manifestDigest,
            ManifestMediaType = stored?.Manifest.MediaType ?? MediaTypes.DockerManifest,
            ManifestJson = manifestJson,
            IndexDigest = stored?.Index,
            ConfigDigest = configDigest,
            ConfigJson = configJson,
            Config = config,
            Platform = config.Platform,
            Layers = layers,
            RepoTags = tags,
            Labels = config.Labels,
            Resources = files,
        };
    }

    private sealed record StoredManifest(Digest Digest, byte[] Json, ImageManifest Manifest, Digest? Index);

    /// The manifest in the archive's index.json (Docker 25+) whose config and layers are this image's, if any.
    private async Task<StoredManifest?> FindStoredManifestAsync(Digest config, IReadOnlyList<LayerRef> layers, CancellationToken ct)
    {
        if (files.LengthOf("index.json") is null || files.LengthOf("oci-layout") is null) return null;
        var indexJson = await files.ReadSmallAsync("index.json", OciDocument.MaxManifestBytes, "index.json", ct).ConfigureAwait(false);
        var pending = new Queue<(Descriptor Descriptor, Digest? Parent, int Depth)>();
        foreach (var d in ImageIndex.Parse(indexJson, $"{files.Origin}: index.json", MediaTypes.OciIndex).Manifests) pending.Enqueue((d, null, 0));
        var seen = 0;
        while (pending.TryDequeue(out var item))
        {
            // bounded: a real archive lists a few manifests; a hostile one must not make us read thousands
            if (++seen > 64 || item.Depth > 4) break;
            var (d, parent, depth) = item;
            if (d.Size > OciDocument.MaxManifestBytes || !(d.MediaType.Length == 0 || OciDocument.IsIndex(d.MediaType) || OciDocument.IsManifest(d.MediaType))) continue;
            var path = $"blobs/{d.Digest.Prefix}/{d.Digest.Hex}";
            if (files.LengthOf(path) != d.Size) continue;
            var bytes = await DigestVerifyingStream.ReadAllAsync(files.Open(path), d.Digest, d.Size, files.Origin, OciDocument.MaxManifestBytes, ct).ConfigureAwait(false);
            switch (OciDocument.Parse(bytes, $"{files.Origin}: blob {d.Digest}", d.MediaType.Length == 0 ? null : d.MediaType))
            {
                case ImageIndex index:
                    foreach (var child in index.Manifests) pending.Enqueue((child, d.Digest, depth + 1));
                    break;
                case ImageManifest m when m.Config.Digest == config && m.Layers.Select(l => l.Digest).SequenceEqual(layers.Select(l => l.Digest)):
                    return new StoredManifest(d.Digest, bytes, m, parent);
            }
        }
        return null;
    }

    /// The path inside the archive of a name from manifest.json, refusing names that leave the archive.
    private string ArchivePath(string name, string what) =>
        LayoutFiles.Normalise(name)
        ?? throw new InputException($"{files.Origin}: manifest.json names {what} '{name}', which points outside the archive; the archive is hostile or corrupt.");

    /// "blobs/sha256/&lt;hex&gt;" (Docker 25+), "&lt;hex&gt;.json" and "&lt;hex&gt;.tar" (skopeo) name their content's digest.
    private static Digest? DigestInName(string path)
    {
        var m = DigestNamePattern().Match(path);
        return m.Success ? new Digest(HashAlgorithm.Sha256, m.Groups["hex"].Value) : null;
    }

    private async Task<string> SniffLayerTypeAsync(string path, CancellationToken ct)
    {
        var magic = new byte[4];
        int n;
        await using (var s = files.Open(path))
            n = await s.ReadAtLeastAsync(magic, 4, throwOnEndOfStream: false, ct).ConfigureAwait(false);
        if (n >= 2 && magic[0] == 0x1f && magic[1] == 0x8b) return MediaTypes.DockerLayerGzip;
        if (n >= 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd) return MediaTypes.OciLayerZstd;
        return MediaTypes.OciLayerTar;
    }

    private async Task<Digest> HashAsync(string path, CancellationToken ct)
    {
        await using var s = files.Open(path);
        return new Digest(HashAlgorithm.Sha256, Convert.ToHexStringLower(await SHA256.HashDataAsync(s, ct).ConfigureAwait(false)));
    }

    private static (byte[] Json, Digest Digest) SynthesiseManifest(Digest config, long configSize, IReadOnlyList<LayerRef> layers)
    {
        using var buffer = new MemoryStream();
        // '+' in media types written as is, like Docker and skopeo do (the default encoder would write \u002B)
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Bulwark.Core.RelaxedJsonEncoder.Instance }))
        {
            w.WriteStartObject();
            w.WriteNumber("schemaVersion", 2);
            w.WriteString("mediaType", MediaTypes.DockerManifest);
            w.WriteStartObject("config");
            w.WriteString("mediaType", MediaTypes.DockerConfig);
            w.WriteNumber("size", configSize);
            w.WriteString("digest", config.ToString());
            w.WriteEndObject();
            w.WriteStartArray("layers");
            foreach (var layer in layers)
            {
                w.WriteStartObject();
                w.WriteString("mediaType", layer.MediaType == MediaTypes.OciLayerTar ? "application/vnd.docker.image.rootfs.diff.tar" : layer.MediaType);
                w.WriteNumber("size", layer.Size);
                w.WriteString("digest", layer.Digest.ToString());
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        var json = buffer.ToArray();
        return (json, Digest.Sha256Of(json));
    }

    [GeneratedRegex(@"^(?:blobs/sha256/(?<hex>[a-f0-9]{64})|(?<hex>[a-f0-9]{64})\.(?:json|tar))$", RegexOptions.CultureInvariant)]
    private static partial Regex DigestNamePattern();
}
