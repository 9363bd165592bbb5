// SPDX-License-Identifier: Apache-2.0
using System.Net;
using Bulwark.Core;
using Bulwark.Oci.Registry;
using Bulwark.Oci.Sources;
using Bulwark.Oci.Tests.Registry;
using static Bulwark.Oci.Tests.Registry.FakeRegistryHandler;

using Bulwark.Testing;

namespace Bulwark.Oci.Tests.Sources;

/// Registry sources against a fake registry that lies about content.
public sealed class RegistrySourceHostileTests
{
    private const string Host = "registry.example";
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly TestLayer Layer = TestLayer.Make("etc/motd", "hello from the registry\n", gzip: true);
    private static readonly byte[] Config = TestImages.Config([Layer]);
    private static readonly byte[] Manifest = TestImages.Json(new Dictionary<string, object?>
    {
        ["schemaVersion"] = 2,
        ["mediaType"] = MediaTypes.OciManifest,
        ["config"] = LayoutBuilder.Descriptor(MediaTypes.OciConfig, (Digest.Sha256Of(Config), Config.Length)),
        ["layers"] = new[] { LayoutBuilder.Descriptor(Layer.MediaType, (Layer.Digest, Layer.Blob.Length)) },
    });
    private static readonly Digest ManifestDigest = Digest.Sha256Of(Manifest);

    private static Task<ResolvedImage> Resolve(FakeRegistryHandler fake, string source, Platform? platform = null) =>
        ImageSources.ResolveAsync(ImageSources.Parse(source),
            new ImageSourceOptions { Handler = fake, Credentials = StaticCredentials.None, Platform = platform }, Ct);

    private static byte[] Flipped(byte[] data)
    {
        var copy = (byte[])data.Clone();
        copy[copy.Length / 2] ^= 1;
        return copy;
    }

    private static FakeRegistryHandler Serving(byte[] manifest, byte[] config, byte[] layer) => new FakeRegistryHandler()
        .On(HttpMethod.Get, "/v2/team/app/manifests/1", _ => Bytes(manifest, MediaTypes.OciManifest))
        .On(HttpMethod.Get, $"/v2/team/app/blobs/{Digest.Sha256Of(Config)}", _ => Bytes(config, "application/octet-stream"))
        .On(HttpMethod.Get, $"/v2/team/app/blobs/{Layer.Digest}", _ => Bytes(layer, "application/octet-stream"));

    [Fact]
    public async Task Reads_an_honest_image_over_https_with_verified_layers()
    {
        var fake = Serving(Manifest, Config, Layer.Blob);

        using var image = await Resolve(fake, $"{Host}/team/app:1");
        await using var layer = await image.Layers[0].OpenAsync(Ct);
        var bytes = await SmallImage.ReadAllAsync(layer);

        Assert.Equal(Layer.Blob, bytes);
        Assert.Equal((ManifestDigest, Layer.DiffId), (image.ManifestDigest, image.Layers[0].DiffId));
        Assert.All(fake.Requests, r => Assert.Equal("https", r.Uri.Scheme));
    }

    [Fact]
    public async Task Rejects_a_layer_the_registry_answers_with_other_content()
    {
        using var image = await Resolve(Serving(Manifest, Config, Flipped(Layer.Blob)), $"{Host}/team/app:1");
        await using var layer = await image.Layers[0].OpenAsync(Ct);

        var e = await Assert.ThrowsAsync<BlobDigestException>(() => SmallImage.ReadAllAsync(layer));

        Assert.Equal(Layer.Digest, e.Digest);
        Assert.Equal($"{Host}/team/app@{Layer.Digest}", e.BlobSource);
        Assert.Equal(Digest.Sha256Of(Flipped(Layer.Blob)).ToString(), e.Actual);
    }

    [Fact]
    public async Task Rejects_a_config_the_registry_answers_with_other_content()
    {
        var e = await Assert.ThrowsAsync<BlobDigestException>(() => Resolve(Serving(Manifest, Flipped(Config), Layer.Blob), $"{Host}/team/app:1"));

        Assert.Equal(Digest.Sha256Of(Config), e.Digest);
    }

    [Fact]
    public async Task Rejects_a_manifest_that_does_not_match_the_pinned_digest()
    {
        var other = Flipped(Manifest);
        var fake = new FakeRegistryHandler().On(HttpMethod.Get, $"/v2/team/app/manifests/{ManifestDigest}", _ => Bytes(other, MediaTypes.OciManifest));

        var e = await Assert.ThrowsAsync<RegistryException>(() => Resolve(fake, $"{Host}/team/app@{ManifestDigest}"));

        Assert.Equal(RegistryFailure.DigestMismatch, e.Failure);
    }

    [Fact]
    public async Task Rejects_an_index_entry_answered_with_another_manifest()
    {
        var index = TestImages.Json(new Dictionary<string, object?>
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.OciIndex,
            ["manifests"] = new[] { LayoutBuilder.Descriptor(MediaTypes.OciManifest, (ManifestDigest, Manifest.Length), new { os = "linux", architecture = "amd64" }) },
        });
        var fake = new FakeRegistryHandler()
            .On(HttpMethod.Get, "/v2/team/app/manifests/multi", _ => Bytes(index, MediaTypes.OciIndex))
            .On(HttpMethod.Get, $"/v2/team/app/manifests/{ManifestDigest}", _ => Bytes(Flipped(Manifest), MediaTypes.OciManifest));

        var e = await Assert.ThrowsAsync<RegistryException>(() => Resolve(fake, $"{Host}/team/app:multi", Platform.Parse("linux/amd64")));

        Assert.Equal(RegistryFailure.DigestMismatch, e.Failure);
        Assert.Contains(ManifestDigest.ToString(), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_a_config_that_declares_more_than_the_config_limit()
    {
        var manifest = TestImages.Json(new Dictionary<string, object?>
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.OciManifest,
            ["config"] = LayoutBuilder.Descriptor(MediaTypes.OciConfig, (Digest.Sha256Of(Config), 1L << 40)),
            ["layers"] = Array.Empty<object>(),
        });
        var fake = new FakeRegistryHandler().On(HttpMethod.Get, "/v2/team/app/manifests/1", _ => Bytes(manifest, MediaTypes.OciManifest));

        var e = await Assert.ThrowsAsync<InputException>(() => Resolve(fake, $"{Host}/team/app:1"));

        Assert.Equal($"{Host}/team/app:1: config {Digest.Sha256Of(Config)} declares 1099511627776 bytes, more than the 8388608 bytes allowed for an image config; refusing it.", e.Message);
        Assert.DoesNotContain(fake.Requests, r => r.PathAndQuery.Contains("/blobs/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reports_a_registry_that_is_down_as_unavailable()
    {
        var port = LocalRegistry.FreePort();   // nothing listens there

        var e = await Assert.ThrowsAsync<RegistryException>(() => ImageSources.ResolveAsync(ImageSources.Parse($"127.0.0.1:{port}/team/app:1"),
            new ImageSourceOptions { Insecure = true, Credentials = StaticCredentials.None }, Ct));

        Assert.Equal(RegistryFailure.Unavailable, e.Failure);
        Assert.StartsWith($"Cannot reach 127.0.0.1:{port} for manifest 127.0.0.1:{port}/team/app:1", e.Message, StringComparison.Ordinal);
    }
}
