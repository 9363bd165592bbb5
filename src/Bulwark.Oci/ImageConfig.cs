// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;

namespace Bulwark.Oci;

/// The image config fields Bulwark uses (OCI image-spec config.md; Docker's config has the same fields).
public sealed record ImageConfig(string Os, string Architecture)
{
    public string? Variant { get; init; }
    public string? OsVersion { get; init; }
    public string? Created { get; init; }
    public string? User { get; init; }
    public string? WorkingDir { get; init; }
    public IReadOnlyList<string> Env { get; init; } = [];
    public IReadOnlyList<string>? Entrypoint { get; init; }
    public IReadOnlyList<string>? Cmd { get; init; }
    /// config.Labels, sorted by key.
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
    /// rootfs.diff_ids: the digest of each layer's uncompressed tar, lowest layer first.
    public IReadOnlyList<Digest> DiffIds { get; init; } = [];
    public IReadOnlyList<HistoryEntry> History { get; init; } = [];

    public Platform Platform => new(Os, Architecture, Variant, OsVersion);

    /// The configs larger than this are refused (real ones are a few KiB; long histories reach a few hundred).
    public const int MaxConfigBytes = 8 * 1024 * 1024;

    /// Parses a config blob; <paramref name="where"/> names it in errors ("config sha256:… in oci:DIR").
    public static ImageConfig Parse(ReadOnlyMemory<byte> json, string where)
    {
        if (json.Length > MaxConfigBytes)
            throw new InputException($"{where} is {json.Length} bytes, more than the {MaxConfigBytes} bytes an image config may have; refusing it.");
        using var doc = JsonFields.Parse(json, where);
        var f = JsonFields.Root(doc, where);
        var os = f.String("os");
        var arch = f.String("architecture");
        if (string.IsNullOrEmpty(os)) throw f.Error("os", "is missing");
        if (string.IsNullOrEmpty(arch)) throw f.Error("architecture", "is missing");
        var config = f.Object("config");
        var rootfs = f.Object("rootfs") ?? throw f.Error("rootfs", "is missing");
        var diffIds = rootfs.Strings("diff_ids") ?? throw rootfs.Error("diff_ids", "is missing");
        return new ImageConfig(os, arch)
        {
            Variant = Descriptor.NullIfEmpty(f.String("variant")),
            OsVersion = Descriptor.NullIfEmpty(f.String("os.version")),
            Created = f.String("created"),
            User = config?.String("User"),
            WorkingDir = config?.String("WorkingDir"),
            Env = config?.Strings("Env") ?? [],
            Entrypoint = config?.Strings("Entrypoint"),
            Cmd = config?.Strings("Cmd"),
            Labels = config?.StringMap("Labels") ?? new SortedDictionary<string, string>(StringComparer.Ordinal),
            DiffIds = diffIds.Select((d, i) => rootfs.ParseDigest($"diff_ids[{i}]", d)).ToList(),
            History = f.Objects("history").Select(h => new HistoryEntry(h.String("created"), h.String("created_by"), h.String("comment"), h.Bool("empty_layer"))).ToList(),
        };
    }
}

/// One step of the image's build history; <see cref="EmptyLayer"/> steps made no layer.
public sealed record HistoryEntry(string? Created, string? CreatedBy, string? Comment, bool EmptyLayer);
