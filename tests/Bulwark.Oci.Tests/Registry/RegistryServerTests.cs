// SPDX-License-Identifier: Apache-2.0
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Bulwark.Core;
using Bulwark.Oci.Registry;
using Bulwark.Testing;

namespace Bulwark.Oci.Tests.Registry;

/// One anonymous docker-registry for the whole class.
public sealed class AnonymousRegistryFixture : IDisposable
{
    public LocalRegistry Registry { get; } = new();
    public void Dispose() => Registry.Dispose();
}

/// The client against Debian's docker-registry (distribution 2.8) on 127.0.0.1, without auth.
public sealed class RegistryServerTests(AnonymousRegistryFixture fixture) : IClassFixture<AnonymousRegistryFixture>
{
    private readonly string _host = fixture.Registry.Host;

    private static RegistryClient Client(bool insecure = true) =>
        new(new RegistryClientOptions { Insecure = insecure, Credentials = StaticCredentials.None, RetryDelay = TimeSpan.FromMilliseconds(10) });

    [Fact]
    public async Task Pushes_blobs_and_a_manifest_and_pulls_them_back()
    {
        using var client = Client();
        var image = new SmallImage();

        var pushed = await image.PushAsync(client, _host, "team/app", "1.0");
        var manifest = await client.GetManifestAsync(new ImageReference(_host, "team/app", "1.0", null));
        var head = await client.HeadManifestAsync(new ImageReference(_host, "team/app", null, pushed));
        await using var layer = await client.GetBlobAsync(_host, "team/app", image.LayerDigest, image.Layer.Length);
        await using var config = await client.GetBlobAsync(_host, "team/app", image.ConfigDigest, image.Config.Length);

        Assert.Equal(image.ManifestDigest, pushed);
        Assert.Equal(image.Manifest, manifest.Bytes.ToArray());
        Assert.Equal((image.ManifestDigest, MediaTypes.OciManifest), (manifest.Digest, manifest.MediaType));
        Assert.Equal(new ManifestHead(image.ManifestDigest, MediaTypes.OciManifest, image.Manifest.Length), head);
        Assert.Equal(image.Layer, await SmallImage.ReadAllAsync(layer));
        Assert.Equal(image.Config, await SmallImage.ReadAllAsync(config));
        Assert.True(await client.BlobExistsAsync(_host, "team/app", image.LayerDigest));
    }

    [Fact]
    public async Task Reports_a_missing_manifest_with_the_registry_error_code()
    {
        using var client = Client();

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(new ImageReference(_host, "team/nothing", "1.0", null)));

        Assert.Equal(RegistryFailure.NotFound, e.Failure);
        Assert.Contains(e.Errors, x => x.Code is "MANIFEST_UNKNOWN" or "NAME_UNKNOWN");
        Assert.StartsWith($"Not found: manifest {_host}/team/nothing:1.0 (", e.Message, StringComparison.Ordinal);
        Assert.Null(await client.HeadManifestAsync(new ImageReference(_host, "team/nothing", "1.0", null)));
    }

    [Fact]
    public async Task Lists_every_tag_of_a_repository()
    {
        using var client = Client();
        var image = new SmallImage(1000, seed: 2);
        foreach (var tag in new[] { "c", "a", "b", "d", "e" }) await image.PushAsync(client, _host, "team/tags", tag);

        // distribution 2.8 ignores n= and answers in storage order (Link pagination is covered with recorded answers)
        var tags = await client.ListTagsAsync(_host, "team/tags", pageSize: 2);

        Assert.Equal(["a", "b", "c", "d", "e"], tags.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Mounts_a_blob_from_another_repository()
    {
        using var client = Client();
        var image = new SmallImage(5000, seed: 3);
        await image.PushAsync(client, _host, "team/base", "1");

        Assert.False(await client.BlobExistsAsync(_host, "team/derived", image.LayerDigest));
        Assert.True(await client.MountBlobAsync(_host, "team/derived", image.LayerDigest, "team/base"));
        Assert.True(await client.BlobExistsAsync(_host, "team/derived", image.LayerDigest));
    }

    [Fact]
    public async Task Finds_referrers_through_the_tag_schema_on_a_registry_without_the_api()
    {
        using var client = Client();
        var image = new SmallImage(2000, seed: 4);
        var subject = await image.PushAsync(client, _host, "team/signed", "1");
        var empty = "{}"u8.ToArray();
        await client.PushBlobAsync(_host, "team/signed", Digest.Sha256Of(empty), new MemoryStream(empty), empty.Length);
        var artifact = Encoding.UTF8.GetBytes($$$"""
            {"schemaVersion":2,"mediaType":"{{{MediaTypes.OciManifest}}}","artifactType":"application/spdx+json","config":{"mediaType":"{{{MediaTypes.OciEmpty}}}","digest":"{{{Digest.Sha256Of(empty)}}}","size":2},"layers":[{"mediaType":"{{{MediaTypes.OciEmpty}}}","digest":"{{{Digest.Sha256Of(empty)}}}","size":2}],"subject":{"mediaType":"{{{MediaTypes.OciManifest}}}","digest":"{{{subject}}}","size":{{{image.Manifest.Length}}}}}
            """);
        var artifactDigest = await client.PutManifestAsync(new ImageReference(_host, "team/signed", null, Digest.Sha256Of(artifact)), artifact, MediaTypes.OciManifest);
        var index = Encoding.UTF8.GetBytes($$$"""
            {"schemaVersion":2,"mediaType":"{{{MediaTypes.OciIndex}}}","manifests":[{"mediaType":"{{{MediaTypes.OciManifest}}}","digest":"{{{artifactDigest}}}","size":{{{artifact.Length}}},"artifactType":"application/spdx+json"}]}
            """);
        await client.PutManifestAsync(new ImageReference(_host, "team/signed", $"sha256-{subject.Hex}", null), index, MediaTypes.OciIndex);

        var sboms = await client.GetReferrersAsync(_host, "team/signed", subject, "application/spdx+json");
        var signatures = await client.GetReferrersAsync(_host, "team/signed", subject, "application/vnd.dev.sigstore.bundle.v0.3+json");

        Assert.Equal((artifactDigest, (long)artifact.Length), (Assert.Single(sboms).Digest, sboms[0].Size));
        Assert.Empty(signatures);
        Assert.Empty(await client.GetReferrersAsync(_host, "team/app-without-referrers", subject));
    }

    [Fact]
    public async Task Pushes_referrers_that_a_registry_without_the_api_then_lists()
    {
        using var client = Client();
        var image = new SmallImage(2000, seed: 8);
        var subject = await image.PushAsync(client, _host, "team/attested", "1");
        var empty = "{}"u8.ToArray();
        await client.PushBlobAsync(_host, "team/attested", Digest.Sha256Of(empty), new MemoryStream(empty), empty.Length);
        byte[] ArtifactOf(string type) => Encoding.UTF8.GetBytes($$$"""
            {"schemaVersion":2,"mediaType":"{{{MediaTypes.OciManifest}}}","artifactType":"{{{type}}}","config":{"mediaType":"{{{MediaTypes.OciEmpty}}}","digest":"{{{Digest.Sha256Of(empty)}}}","size":2},"layers":[{"mediaType":"{{{MediaTypes.OciEmpty}}}","digest":"{{{Digest.Sha256Of(empty)}}}","size":2}],"subject":{"mediaType":"{{{MediaTypes.OciManifest}}}","digest":"{{{subject}}}","size":{{{image.Manifest.Length}}}}}
            """);
        var sbom = ArtifactOf("application/spdx+json");
        var signature = ArtifactOf("application/vnd.dev.sigstore.bundle.v0.3+json");

        var sbomDigest = await client.PushReferrerAsync(_host, "team/attested", sbom, MediaTypes.OciManifest, subject, "application/spdx+json");
        var signatureDigest = await client.PushReferrerAsync(_host, "team/attested", signature, MediaTypes.OciManifest, subject, "application/vnd.dev.sigstore.bundle.v0.3+json");
        await client.PushReferrerAsync(_host, "team/attested", sbom, MediaTypes.OciManifest, subject, "application/spdx+json"); // again: listed once

        var all = await client.GetReferrersAsync(_host, "team/attested", subject);
        Assert.Equal([signatureDigest, sbomDigest], all.Select(r => r.Digest));
        Assert.Equal(sbom, (await client.GetManifestAsync(new ImageReference(_host, "team/attested", null, sbomDigest))).Bytes.ToArray());
    }

    [Fact]
    public async Task Suggests_insecure_when_https_meets_a_plain_http_local_registry()
    {
        using var client = Client(insecure: false);

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(new ImageReference(_host, "team/app", "1.0", null)));

        Assert.Equal(RegistryFailure.Unavailable, e.Failure);
        Assert.EndsWith("If this local registry serves plain HTTP, use --insecure.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pulls_the_Debian_image_that_skopeo_pushed()
    {
        const string skopeo = "/usr/bin/skopeo";
        Assert.True(File.Exists(skopeo), $"{skopeo} is missing: run ./test.sh (it installs the Debian package skopeo).");
        var layout = Path.Combine(TestPaths.Shared, "images", "oci-layout");
        var policy = Path.Combine(fixture.Registry.Directory, "policy.json");
        await File.WriteAllTextAsync(policy, """{"default":[{"type":"insecureAcceptAnything"}]}""");
        var copy = Process.Start(new ProcessStartInfo(skopeo,
            ["--policy", policy, "copy", "--quiet", "--dest-tls-verify=false", $"oci:{layout}:debian-bookworm", $"docker://{_host}/library/debian:12"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        var stderr = copy.StandardError.ReadToEndAsync();
        await copy.WaitForExitAsync();
        Assert.True(copy.ExitCode == 0, "skopeo copy failed: " + await stderr);
        using var client = Client();

        var manifest = await client.GetManifestAsync(new ImageReference(_host, "library/debian", "12", null));
        using var json = JsonDocument.Parse(manifest.Bytes);
        var configDescriptor = json.RootElement.GetProperty("config");
        var layerDescriptor = json.RootElement.GetProperty("layers")[0];
        var configDigest = Digest.Parse(configDescriptor.GetProperty("digest").GetString()!);
        var layerDigest = Digest.Parse(layerDescriptor.GetProperty("digest").GetString()!);
        await using var config = await client.GetBlobAsync(_host, "library/debian", configDigest, configDescriptor.GetProperty("size").GetInt64());
        await using var layer = await client.GetBlobAsync(_host, "library/debian", layerDigest, layerDescriptor.GetProperty("size").GetInt64());
        var configJson = await SmallImage.ReadAllAsync(config);
        var layerBytes = await layer.CopyToCountingAsync();

        Assert.Equal("sha256:8127f6d909042ed61dae7611ffb26f3510c9e8091c3cf1902563f21483c95698", manifest.Digest.ToString());
        Assert.Equal("sha256:cd9e11a328f3846ced53764c3061acf79ef9122b93d994c9089260f33344318f", configDigest.ToString());
        Assert.Equal("sha256:a292a3acf15f928c22a0164e3e0e53eca9ea17137ab21331cf34bed726e20c9e", layerDigest.ToString());
        Assert.Equal(30013345, layerBytes);
        Assert.Equal("amd64", JsonDocument.Parse(configJson).RootElement.GetProperty("architecture").GetString());
    }
}

internal static class StreamCounting
{
    /// Reads a stream to its end without keeping it (the verifying stream checks digest and size at the end).
    public static async Task<long> CopyToCountingAsync(this Stream stream)
    {
        var buffer = new byte[81920];
        long total = 0;
        int n;
        while ((n = await stream.ReadAsync(buffer)) > 0) total += n;
        return total;
    }
}
