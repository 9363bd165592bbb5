// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;

namespace Bulwark.Oci;

/// A reference to a blob by media type, digest and size (OCI image-spec descriptor.md), with the optional fields.
public sealed record Descriptor(string MediaType, Digest Digest, long Size)
{
    public IReadOnlyList<string> Urls { get; init; } = [];
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
    /// The platform an image index entry is for (only in indexes).
    public Platform? Platform { get; init; }
    public string? ArtifactType { get; init; }

    /// The annotation key OCI layouts use for a manifest's tag (image-spec annotations.md).
    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";

    /// The tag an OCI layout gives this manifest, if any.
    public string? RefName => Annotations.TryGetValue(RefNameAnnotation, out var n) ? n : null;

    public override string ToString() => $"{MediaType} {Digest} ({Size} bytes)";

    internal static Descriptor Read(JsonFields f)
    {
        // mediaType is required by the spec, but Docker list entries and some tools omit it: callers detect the shape
        var mediaType = f.String("mediaType") ?? "";
        var digest = f.RequiredDigest("digest");
        var size = f.Long("size") ?? throw f.Error("size", "is missing");
        if (size < 0) throw f.Error("size", "must not be negative");
        Platform? platform = null;
        if (f.Object("platform") is { } p)
        {
            var os = p.RequiredString("os");
            var arch = p.RequiredString("architecture");
            platform = new Platform(os, arch, NullIfEmpty(p.String("variant")), NullIfEmpty(p.String("os.version")));
        }
        return new Descriptor(mediaType, digest, size)
        {
            Urls = f.Strings("urls") ?? [],
            Annotations = f.StringMap("annotations"),
            Platform = platform,
            ArtifactType = f.String("artifactType"),
        };
    }

    internal static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
