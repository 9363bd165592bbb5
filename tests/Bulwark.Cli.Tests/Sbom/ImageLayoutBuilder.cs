// SPDX-License-Identifier: Apache-2.0
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Bulwark.Cli.Tests.Sbom;

/// Writes a small OCI image layout (gzip layers from in-memory file lists) for image tests.
internal sealed class ImageLayoutBuilder
{
    private readonly List<Dictionary<string, string?>> _layers = [];

    /// Adds a layer: path → content, or null for a whiteout of that path.
    public ImageLayoutBuilder Layer(Dictionary<string, string?> files)
    {
        _layers.Add(files);
        return this;
    }

    public void WriteTo(string dir, string tag, Func<byte[], byte[]>? corruptLayer = null)
    {
        var (digest, size) = WriteManifest(dir, "amd64", corruptLayer);
        WriteIndex(dir, tag, "application/vnd.oci.image.manifest.v1+json", digest, size);
    }

    /// Writes a multi-platform image: an index (tagged <paramref name="tag"/>) of one manifest per platform.
    public static void WriteMultiPlatform(string dir, string tag, params (string Arch, ImageLayoutBuilder Image)[] platforms)
    {
        var entries = platforms.Select(p =>
        {
            var (digest, size) = p.Image.WriteManifest(dir, p.Arch, null);
            return new { mediaType = "application/vnd.oci.image.manifest.v1+json", digest, size, platform = new { os = "linux", architecture = p.Arch } };
        }).ToArray();
        var index = JsonSerializer.SerializeToUtf8Bytes(new { schemaVersion = 2, mediaType = "application/vnd.oci.image.index.v1+json", manifests = entries });
        var hex = Convert.ToHexStringLower(SHA256.HashData(index));
        File.WriteAllBytes(Path.Combine(dir, "blobs", "sha256", hex), index);
        WriteIndex(dir, tag, "application/vnd.oci.image.index.v1+json", "sha256:" + hex, index.Length);
    }

    private static void WriteIndex(string dir, string tag, string mediaType, string digest, int size)
    {
        File.WriteAllText(Path.Combine(dir, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        File.WriteAllText(Path.Combine(dir, "index.json"), JsonSerializer.Serialize(new
        {
            schemaVersion = 2,
            manifests = new[] { new { mediaType, digest, size, annotations = new Dictionary<string, string> { ["org.opencontainers.image.ref.name"] = tag } } },
        }));
    }

    private (string Digest, int Size) WriteManifest(string dir, string arch, Func<byte[], byte[]>? corruptLayer)
    {
        var blobs = Path.Combine(dir, "blobs", "sha256");
        Directory.CreateDirectory(blobs);
        string Put(byte[] bytes)
        {
            var hex = Convert.ToHexStringLower(SHA256.HashData(bytes));
            File.WriteAllBytes(Path.Combine(blobs, hex), bytes);
            return "sha256:" + hex;
        }

        var layerDescriptors = new List<object>();
        var diffIds = new List<string>();
        foreach (var files in _layers)
        {
            var tar = new MemoryStream();
            using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
            {
                foreach (var (path, content) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
                {
                    var name = content is null ? Path.Combine(Path.GetDirectoryName(path)!, ".wh." + Path.GetFileName(path)) : path;
                    var entry = new PaxTarEntry(TarEntryType.RegularFile, name.Replace('\\', '/'));
                    if (content is not null) entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content));
                    writer.WriteEntry(entry);
                }
            }
            var raw = tar.ToArray();
            diffIds.Add("sha256:" + Convert.ToHexStringLower(SHA256.HashData(raw)));
            var gz = new MemoryStream();
            using (var z = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true)) z.Write(raw);
            var layer = gz.ToArray();
            var digest = Put(layer);
            if (corruptLayer is not null) File.WriteAllBytes(Path.Combine(blobs, digest[7..]), corruptLayer(layer));
            layerDescriptors.Add(new { mediaType = "application/vnd.oci.image.layer.v1.tar+gzip", digest, size = layer.Length });
        }
        var config = JsonSerializer.SerializeToUtf8Bytes(new
        {
            architecture = arch,
            os = "linux",
            config = new { Labels = new Dictionary<string, string> { ["org.opencontainers.image.source"] = "https://example.test/app" } },
            rootfs = new { type = "layers", diff_ids = diffIds },
        });
        var configDigest = Put(config);
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            mediaType = "application/vnd.oci.image.manifest.v1+json",
            config = new { mediaType = "application/vnd.oci.image.config.v1+json", digest = configDigest, size = config.Length },
            layers = layerDescriptors,
        });
        return (Put(manifest), manifest.Length);
    }
}
