// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;

namespace Bulwark.Oci;

/// An image manifest: OCI (image-spec manifest.md) or Docker image manifest v2 schema 2, which share one shape.
public sealed record ImageManifest(string MediaType, Descriptor Config, IReadOnlyList<Descriptor> Layers)
{
    public string? ArtifactType { get; init; }
    public Descriptor? Subject { get; init; }
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// Parses a manifest; <paramref name="where"/> names the blob in errors ("manifest sha256:… in oci:DIR").
    public static ImageManifest Parse(ReadOnlyMemory<byte> json, string where, string? declaredMediaType = null)
    {
        var document = OciDocument.Parse(json, where, declaredMediaType);
        return document as ImageManifest
            ?? throw new InputException($"{where} is an image index ({((ImageIndex)document).MediaType}) where an image manifest was expected.");
    }

    internal static ImageManifest Read(JsonFields f, string mediaType)
    {
        var config = Descriptor.Read(f.Object("config") ?? throw f.Error("config", "is missing"));
        if (config.MediaType.Length == 0)
            config = config with { MediaType = mediaType == MediaTypes.DockerManifest ? MediaTypes.DockerConfig : MediaTypes.OciConfig };
        var layers = f.Objects("layers").Select(Descriptor.Read).ToList();
        if (!f.Has("layers")) throw f.Error("layers", "is missing");
        for (var i = 0; i < layers.Count; i++)
            if (layers[i].MediaType.Length == 0) throw f.Error($"layers[{i}].mediaType", "is missing");
        return new ImageManifest(mediaType, config, layers)
        {
            ArtifactType = f.String("artifactType"),
            Subject = f.Object("subject") is { } s ? Descriptor.Read(s) : null,
            Annotations = f.StringMap("annotations"),
        };
    }
}

/// An image index: OCI (image-spec image-index.md) or a Docker manifest list.
public sealed record ImageIndex(string MediaType, IReadOnlyList<Descriptor> Manifests)
{
    public string? ArtifactType { get; init; }
    public Descriptor? Subject { get; init; }
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    public static ImageIndex Parse(ReadOnlyMemory<byte> json, string where, string? declaredMediaType = null)
    {
        var document = OciDocument.Parse(json, where, declaredMediaType);
        return document as ImageIndex
            ?? throw new InputException($"{where} is an image manifest ({((ImageManifest)document).MediaType}) where an image index was expected.");
    }

    internal static ImageIndex Read(JsonFields f, string mediaType)
    {
        if (!f.Has("manifests")) throw f.Error("manifests", "is missing");
        var manifests = f.Objects("manifests").Select(Descriptor.Read).ToList();
        return new ImageIndex(mediaType, manifests)
        {
            ArtifactType = f.String("artifactType"),
            Subject = f.Object("subject") is { } s ? Descriptor.Read(s) : null,
            Annotations = f.StringMap("annotations"),
        };
    }
}

/// Reads a manifest or an index, deciding which from the media type or, when that is missing, from the shape.
public static class OciDocument
{
    /// Manifests and indexes larger than this are refused (the distribution spec lets registries stop at 4 MiB).
    public const int MaxManifestBytes = 4 * 1024 * 1024;

    /// Returns an <see cref="ImageManifest"/> or an <see cref="ImageIndex"/>.
    public static object Parse(ReadOnlyMemory<byte> json, string where, string? declaredMediaType = null)
    {
        if (json.Length > MaxManifestBytes)
            throw new InputException($"{where} is {json.Length} bytes, more than the {MaxManifestBytes} bytes a manifest may have; refusing it.");
        using var doc = JsonFields.Parse(json, where);
        var f = JsonFields.Root(doc, where);
        var schemaVersion = f.Long("schemaVersion");
        if (schemaVersion == 1)
            throw new InputException($"{where} is a Docker image manifest schema 1, which is deprecated and not supported; pull and push the image with a current Docker or skopeo to convert it.");
        var mediaType = DetectMediaType(f, declaredMediaType);
        if (schemaVersion != 2) throw f.Error("schemaVersion", schemaVersion is null ? "is missing" : $"is {schemaVersion}, not 2");
        return mediaType switch
        {
            MediaTypes.OciManifest or MediaTypes.DockerManifest => ImageManifest.Read(f, mediaType),
            MediaTypes.OciIndex or MediaTypes.DockerManifestList => ImageIndex.Read(f, mediaType),
            _ => throw new InputException($"{where} has media type '{mediaType}', which is neither an image manifest nor an image index."),
        };
    }

    private static string DetectMediaType(JsonFields f, string? declared)
    {
        var inDocument = f.String("mediaType");
        if (!string.IsNullOrEmpty(inDocument))
        {
            if (!string.IsNullOrEmpty(declared) && declared != inDocument)
                throw f.Error("mediaType", $"is '{inDocument}' but the descriptor pointing at it says '{declared}'");
            return inDocument;
        }
        if (!string.IsNullOrEmpty(declared)) return declared;
        // no media type anywhere (allowed by OCI): decide by shape. Docker's formats always carry mediaType,
        // so an untyped document is OCI.
        if (f.Has("manifests")) return MediaTypes.OciIndex;
        if (f.Has("config") || f.Has("layers")) return MediaTypes.OciManifest;
        throw new InputException($"{f.Where} has no 'mediaType' and neither 'manifests' nor 'config'; it is not an OCI manifest or index.");
    }

    /// True for the media types of an image index or Docker manifest list.
    public static bool IsIndex(string mediaType) => mediaType is MediaTypes.OciIndex or MediaTypes.DockerManifestList;

    /// True for the media types of an image manifest (OCI or Docker schema 2).
    public static bool IsManifest(string mediaType) => mediaType is MediaTypes.OciManifest or MediaTypes.DockerManifest;
}
