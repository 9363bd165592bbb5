// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;
using Bulwark.Oci.Layers;

namespace Bulwark.Oci;

/// An image ready to be read: which manifest and config it is, and its layers in order (lowest first).
/// Every image source (OCI layout, oci-archive, docker-archive, registry) produces one.
public sealed record ResolvedImage : IDisposable
{
    /// How the user named it ("oci:../images:demo-shop", "127.0.0.1:5000/team/app:1.2").
    public required string Source { get; init; }
    /// The registry reference when there is one (registry sources, docker-archive RepoTags, layout ref names).
    public ImageReference? Reference { get; init; }
    /// The digest and media type of the image manifest (for a multi-platform image: the chosen platform's manifest).
    public required Digest ManifestDigest { get; init; }
    public required string ManifestMediaType { get; init; }
    /// The digest of the index the manifest was chosen from, when there was one.
    public Digest? IndexDigest { get; init; }
    public required Digest ConfigDigest { get; init; }
    /// The raw image config JSON (parsed by whoever needs more than the fields below).
    public required ReadOnlyMemory<byte> ConfigJson { get; init; }
    public required Platform Platform { get; init; }
    public required IReadOnlyList<LayerRef> Layers { get; init; }
    public IReadOnlyList<string> RepoTags { get; init; } = [];
    /// "registry/repository@sha256:…" for each repository the manifest is known under.
    public IReadOnlyList<string> RepoDigests { get; init; } = [];
    /// Labels from the image config (config.Labels), sorted by key.
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
    /// The manifest's bytes (for a docker-archive, the Docker schema 2 manifest made from manifest.json).
    public ReadOnlyMemory<byte> ManifestJson { get; init; }
    /// The parsed image config (the same bytes as <see cref="ConfigJson"/>), when the source parsed it.
    public ImageConfig? Config { get; init; }
    /// What the layers' streams need kept open (an archive's spooled copy); released by <see cref="Dispose"/>.
    public IDisposable? Resources { get; init; }

    /// Releases what the source holds open for the layers (a decompressed archive's anonymous temp file).
    public void Dispose() => Resources?.Dispose();
}

/// An OS/architecture pair as OCI writes it ("linux/arm64/v8").
public sealed partial record Platform(string Os, string Architecture, string? Variant = null, string? OsVersion = null)
{
    public override string ToString() => Variant is null ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";
}

/// A registry reference: registry host, repository path, and a tag and/or digest, normalised like Docker does
/// (docker.io default registry, library/ for official images, latest when neither tag nor digest is given).
public sealed partial record ImageReference(string Registry, string Repository, string? Tag, Digest? Digest)
{
    public override string ToString() =>
        $"{Registry}/{Repository}{(Tag is null ? "" : ":" + Tag)}{(Digest is { } d ? "@" + d : "")}";
}
