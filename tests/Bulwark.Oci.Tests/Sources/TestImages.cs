// SPDX-License-Identifier: Apache-2.0
using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Bulwark.Core;
using Bulwark.Testing;

namespace Bulwark.Oci.Tests.Sources;

/// A temp directory deleted with the test.
internal sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("bulwark-oci-test-").FullName;
    public string File(string name) => System.IO.Path.Combine(Path, name);
    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// A layer made by a test: its tar, the blob as stored (maybe gzip), and their digests.
internal sealed record TestLayer(byte[] Tar, byte[] Blob, string MediaType)
{
    public Digest DiffId => Digest.Sha256Of(Tar);
    public Digest Digest => Digest.Sha256Of(Blob);

    public static TestLayer Make(string path, string content, bool gzip)
    {
        var tar = TestImages.Tar([(path, Encoding.UTF8.GetBytes(content))]);
        return new TestLayer(tar, gzip ? TestImages.Gzip(tar) : tar, gzip ? MediaTypes.OciLayerGzip : MediaTypes.OciLayerTar);
    }
}

/// Builds small OCI layouts and archives for tests.
internal static class TestImages
{
    /// The real layout in ../shared/images (README: debian-bookworm and demo-shop, linux/amd64, gzip layers).
    public static string SharedLayout => System.IO.Path.Combine(TestPaths.Shared, "images", "oci-layout");

    public static byte[] Tar(IEnumerable<(string Name, byte[] Data)> files)
    {
        using var buffer = new MemoryStream();
        using (var w = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, data) in files)
                w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) });
        }
        return buffer.ToArray();
    }

    public static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gz = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(data);
        return buffer.ToArray();
    }

    /// Tars a directory (an OCI layout) into an archive, entries in sorted order, as `tar -C DIR -cf FILE .` would.
    public static void TarDirectory(string dir, string file, bool gzip)
    {
        using var output = System.IO.File.Create(file);
        using Stream target = gzip ? new GZipStream(output, CompressionLevel.Fastest) : output;
        using var w = new TarWriter(target, TarEntryFormat.Pax, leaveOpen: true);
        foreach (var path in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            w.WriteEntry(path, System.IO.Path.GetRelativePath(dir, path));
    }

    /// Writes a tar of the given entries (names exactly as given, duplicates allowed), optionally with symlinks.
    public static void WriteTar(string file, IEnumerable<(string Name, byte[] Data)> files, IEnumerable<(string Name, string Target)>? symlinks = null, bool ustar = false)
    {
        using var output = System.IO.File.Create(file);
        using var w = new TarWriter(output, ustar ? TarEntryFormat.Ustar : TarEntryFormat.Pax);
        foreach (var (name, data) in files)
            w.WriteEntry(ustar ? new UstarTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) }
                : new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) });
        foreach (var (name, target) in symlinks ?? [])
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target });
    }

    public static byte[] Json(object value) => JsonSerializer.SerializeToUtf8Bytes(value);

    public static byte[] Config(IEnumerable<TestLayer> layers, string arch = "amd64", string? variant = null, IDictionary<string, string>? labels = null) =>
        Json(new Dictionary<string, object?>
        {
            ["architecture"] = arch,
            ["variant"] = variant,
            ["os"] = "linux",
            ["config"] = new Dictionary<string, object?> { ["Labels"] = labels, ["Cmd"] = new[] { "sh" } },
            ["rootfs"] = new { type = "layers", diff_ids = layers.Select(l => l.DiffId.ToString()).ToArray() },
        });
}

/// Writes an OCI layout blob by blob.
internal sealed class LayoutBuilder(string root)
{
    private readonly List<object> _index = [];

    public string Root => root;

    public (Digest Digest, long Size) Blob(byte[] data)
    {
        var digest = Digest.Sha256Of(data);
        Directory.CreateDirectory(Path.Combine(root, "blobs", "sha256"));
        File.WriteAllBytes(BlobPath(digest), data);
        return (digest, data.Length);
    }

    public string BlobPath(Digest d) => Path.Combine(root, "blobs", d.Prefix, d.Hex);

    public static Dictionary<string, object?> Descriptor(string mediaType, (Digest Digest, long Size) blob, object? platform = null, IDictionary<string, string>? annotations = null) =>
        new() { ["mediaType"] = mediaType, ["digest"] = blob.Digest.ToString(), ["size"] = blob.Size, ["platform"] = platform, ["annotations"] = annotations };

    /// Writes config, layers and manifest; returns the manifest blob.
    public (Digest Digest, long Size) Image(IReadOnlyList<TestLayer> layers, string arch = "amd64", string? variant = null, IDictionary<string, string>? labels = null)
    {
        var config = Blob(TestImages.Config(layers, arch, variant, labels));
        var manifest = new Dictionary<string, object?>
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.OciManifest,
            ["config"] = Descriptor(MediaTypes.OciConfig, config),
            ["layers"] = layers.Select(l => Descriptor(l.MediaType, Blob(l.Blob))).ToArray(),
        };
        return Blob(TestImages.Json(manifest));
    }

    public (Digest Digest, long Size) Index(params (Digest Digest, long Size, string Platform)[] manifests)
    {
        var index = new Dictionary<string, object?>
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.OciIndex,
            ["manifests"] = manifests.Select(m =>
            {
                var p = Platform.Parse(m.Platform);
                return Descriptor(MediaTypes.OciManifest, (m.Digest, m.Size), new Dictionary<string, string?> { ["os"] = p.Os, ["architecture"] = p.Architecture, ["variant"] = p.Variant });
            }).ToArray(),
        };
        return Blob(TestImages.Json(index));
    }

    public LayoutBuilder Tag(string? tag, string mediaType, (Digest Digest, long Size) blob)
    {
        _index.Add(Descriptor(mediaType, blob, annotations: tag is null ? null : new Dictionary<string, string> { [Oci.Descriptor.RefNameAnnotation] = tag }));
        return this;
    }

    public void Write(string? indexJson = null)
    {
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        File.WriteAllBytes(Path.Combine(root, "index.json"), indexJson is not null ? Encoding.UTF8.GetBytes(indexJson)
            : TestImages.Json(new Dictionary<string, object?> { ["schemaVersion"] = 2, ["mediaType"] = MediaTypes.OciIndex, ["manifests"] = _index }));
    }
}
