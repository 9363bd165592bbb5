// SPDX-License-Identifier: Apache-2.0
using System.Text;
using Bulwark.Core;
using Bulwark.Oci.Registry;

namespace Bulwark.Oci.Tests.Registry;

/// A tiny image made in the test (a config and one deterministic pseudo-random "layer") and a way to push it.
public sealed class SmallImage
{
    public byte[] Config { get; } = Encoding.UTF8.GetBytes("""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}""");
    public byte[] Layer { get; }
    public Digest ConfigDigest => Digest.Sha256Of(Config);
    public Digest LayerDigest => Digest.Sha256Of(Layer);
    public byte[] Manifest { get; }
    public Digest ManifestDigest => Digest.Sha256Of(Manifest);

    public SmallImage(int layerSize = 300_000, int seed = 1)
    {
        Layer = new byte[layerSize];
        new Random(seed).NextBytes(Layer);
        Manifest = Encoding.UTF8.GetBytes($$$"""
            {"schemaVersion":2,"mediaType":"{{{MediaTypes.OciManifest}}}","config":{"mediaType":"{{{MediaTypes.OciConfig}}}","digest":"{{{ConfigDigest}}}","size":{{{Config.Length}}}},"layers":[{"mediaType":"{{{MediaTypes.OciLayerTar}}}","digest":"{{{LayerDigest}}}","size":{{{Layer.Length}}}}]}
            """);
    }

    /// Pushes the config monolithically, the layer in chunks, then the manifest under <paramref name="tag"/>.
    public async Task<Digest> PushAsync(RegistryClient client, string registry, string repository, string tag, int chunkSize = 64 * 1024)
    {
        await client.PushBlobAsync(registry, repository, ConfigDigest, new MemoryStream(Config), Config.Length);
        await client.PushBlobChunkedAsync(registry, repository, LayerDigest, new MemoryStream(Layer), chunkSize);
        return await client.PutManifestAsync(new ImageReference(registry, repository, tag, null), Manifest, MediaTypes.OciManifest);
    }

    public static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
